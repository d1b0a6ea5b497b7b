"""At a task worker's start, queue one drain for events that wait with no drain to come.

Why: a worker killed mid-drain (SIGKILL, out of memory, a host lost) takes its drain
with it. Its events are safe, each one's transaction rolls back and leaves it
`received`, but nothing is queued to look at them until the next delivery. Started as
`manage.py db_worker` (django-tasks-db) or `rqworker` / `rqworker-pool` (django-rq), the
worker queues a drain that looks once, so they are processed within seconds of the
restart. Other workers (Celery...) can call `queue_recovery_drain()` from their own
start-up hook. This never runs in web processes and never touches the task backend's
own rows (see docs/webhooks.md on task rows left RUNNING).
"""

from __future__ import annotations

import logging
import sys
import threading
import time

from django.apps import apps
from django.db import connections

logger = logging.getLogger(__name__)

__all__ = ["WORKER_COMMANDS", "is_worker_process", "queue_drain_at_worker_start"]

WORKER_COMMANDS = frozenset({"db_worker", "rqworker", "rqworker-pool"})
"""Management commands that run task workers."""


def is_worker_process(argv: list[str] | None = None) -> bool:
    """Whether this process runs a task worker (`manage.py <one of WORKER_COMMANDS>`)."""
    argv = sys.argv if argv is None else argv
    return len(argv) > 1 and argv[1] in WORKER_COMMANDS


def queue_drain_at_worker_start(argv: list[str] | None = None) -> threading.Thread | None:
    """In a worker process, queue a recovery drain once Django is ready (from `ready()`).

    A thread, because `AppConfig.ready()` must not query the database: it waits for the
    app registry, then queues the drain only if an event is waiting.
    """
    if not is_worker_process(argv):
        return None
    thread = threading.Thread(target=recover, name="helpscout-webhook-recovery", daemon=True)
    thread.start()
    return thread


def recover(timeout: float = 30.0) -> bool:
    """Queue a drain if any event is `received`; True if one was queued."""
    from ..models import WebhookEvent, WebhookEventStatus
    from .drain import queue_recovery_drain

    deadline = time.monotonic() + timeout
    while not apps.ready:
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    try:
        waiting = WebhookEvent.objects.filter(
            status=WebhookEventStatus.RECEIVED, signature_valid=True
        ).exists()
        return waiting and queue_recovery_drain()
    except Exception as exc:  # no table yet, database down: the next delivery recovers
        logger.warning("Webhook recovery drain not queued at worker start (%s).", exc)
        return False
    finally:
        if threading.current_thread() is not threading.main_thread():
            connections.close_all()
