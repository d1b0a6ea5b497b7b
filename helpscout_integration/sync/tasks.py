"""Django task for products that schedule syncs (cron, django-tasks' scheduler, RQ...).

Enqueue with `sync_incremental.using(backend=get_settings().TASK_BACKEND).enqueue()`.
The task only drives the engine; it holds no state of its own (checkpoints are in
`SyncState`), so two overlapping runs are harmless but wasteful: schedule it no more
often than a run takes.
"""

from __future__ import annotations

from ..tasks_compat import task


@task()
def sync_incremental(resources: list[str] | None = None, mailbox_id: int | None = None) -> dict:
    """Incremental sync from the stored checkpoints; returns the run's summary (JSON)."""
    from .engine import run_sync
    from .progress import LogReporter

    report = run_sync(resources=resources, mailbox_id=mailbox_id, reporter=LogReporter())
    return report.as_dict()
