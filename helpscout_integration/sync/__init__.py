"""Sync: full and incremental mirroring of Help Scout, resumable page by page.

`engine.py` drives the client resource by resource (`paging.py` pages and commits one
listing), `upsert.py` is the mirror writer (also used by webhook processing; its rules in
`newest_wins.py`, its thread handling in `upsert_threads.py`), `checkpoints.py` keeps
where each resource stands, `progress.py` and `stats.py` report. See docs/sync.md.
"""
