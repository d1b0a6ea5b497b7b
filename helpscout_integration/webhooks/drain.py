"""New deliveries are processed by "drain" tasks, one queued per burst, not one per event.

Why: queueing a task per delivery costs each delivery a second INSERT and commit (the
task row, with the database backend) and each event a task start. Under a burst of
deliveries that doubled the view's cost. Instead, a delivery queues a drain task only
when none is waiting, and the drain processes every `received` event it finds.

Why nothing is missed: a flag in Django's default cache says "a drain is queued and has
not started". A delivery checks it after its event is committed (`cache.add`: atomic on
Redis, Memcached and the database cache); a drain clears it *before* it looks for
events. So an event is either seen by the waiting drain (which starts, and scans, after
the check) or the check finds no flag and queues a new drain. With a per-process cache
(locmem) the same holds within each process: at worst a few more drains run.

Several drains may run at once (several workers, a burst longer than one drain): each
takes an event under a row lock and skips those another holds, and `process_event` runs
an event only while it is `received`, so each event is processed exactly once. If the
cache fails, a drain is queued anyway; if the backend refuses the task, the flag is
cleared and the event stays `received` for the next delivery's drain or for
`helpscout_process_webhooks`. A queued drain that is lost delays events by at most
`QUEUED_SECONDS`, after which the next delivery queues another.
"""

from __future__ import annotations

import logging
from collections import Counter

from django.core.cache import caches
from django.db import router, transaction

from ..models import WebhookEvent, WebhookEventStatus
from ..tasks_compat import task
from .processing import _enqueue, process_event

logger = logging.getLogger(__name__)

__all__ = ["drain_received_events", "process_received_webhook_events", "queue_drain"]

QUEUED_KEY = "helpscout:webhooks:drain-queued"
QUEUED_SECONDS = 60
BATCH = 100
MAX_EVENTS_PER_TASK = 1000
"""A drain hands over to a fresh task after this many events, so no task runs for long."""


@task()
def process_received_webhook_events() -> dict[str, int]:
    """Task: process every `received` event, oldest first; returns counts by outcome."""
    return drain_received_events()


def queue_drain() -> None:
    """After the current transaction commits, make sure a drain will run after it."""
    transaction.on_commit(_queue_drain_now, using=router.db_for_write(WebhookEvent))


def _queue_drain_now() -> None:
    try:
        needed = caches["default"].add(QUEUED_KEY, 1, QUEUED_SECONDS)
    except Exception as exc:  # no cache: queue a drain for every delivery, lose nothing
        logger.warning("Webhook drain flag unavailable (%s); queueing a drain.", exc)
        needed = True
    if not needed:
        return  # a drain is queued and has not started: it will see this event
    if not _enqueue(process_received_webhook_events, what="processing of received webhooks"):
        _clear_flag()  # let the next delivery try again


def _clear_flag() -> None:
    try:
        caches["default"].delete(QUEUED_KEY)
    except Exception as exc:
        logger.warning("Webhook drain flag could not be cleared (%s).", exc)


def drain_received_events(*, max_events: int = MAX_EVENTS_PER_TASK) -> dict[str, int]:
    """Process `received` events in arrival order until none is left (or `max_events`)."""
    _clear_flag()  # from here on, a new delivery queues another drain
    outcomes: Counter[str] = Counter()
    last = 0
    while True:
        ids = list(
            WebhookEvent.objects.filter(
                status=WebhookEventStatus.RECEIVED, signature_valid=True, pk__gt=last
            )
            .order_by("pk")
            .values_list("pk", flat=True)[:BATCH]
        )
        if not ids:
            return dict(outcomes)
        for event_id in ids:
            if outcomes.total() >= max_events:
                _queue_drain_now()  # the rest goes to a fresh task
                return dict(outcomes)
            outcomes[process_event(event_id, skip_locked=True)] += 1
            last = event_id
