"""Sync: full and incremental mirroring of Help Scout, resumable page by page.

`engine.py` drives the client page by page, `upsert.py` is the mirror writer (also used
by webhook processing), `checkpoints.py` keeps where each resource stands, `progress.py`
and `stats.py` report. See docs/sync.md.
"""
