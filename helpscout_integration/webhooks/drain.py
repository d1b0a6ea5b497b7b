"""New deliveries are processed by "drain" tasks: one per second of traffic, never one per event.

Why: queueing a task per delivery costs each delivery a second INSERT and commit (the
task row, with the database backend) and each event a task start; under a burst that
nearly doubled the view's cost. So a delivery queues a drain only when no drain it can
rely on is coming, and a drain processes every `received` event it finds.

How a delivery relies on a drain without any shared state (the promise): a drain is
queued with `until`, a wall-clock time `PROMISE_SECONDS` ahead, and it keeps looking for
new events until its own clock is past `until + CLOCK_SKEW_SECONDS`, ending with a full
look that starts after that. For the next `PROMISE_SECONDS` (of monotonic time, and not
past `until`), deliveries in the same process queue nothing: each event is committed
before its delivery checks the promise, so it is committed before `until`, and the
drain's last look sees it. This holds with any cache (locmem, database, Redis, none) and
any backend, because nothing has to be cleared by the worker: the promise simply
expires. The default cache only shares promises between processes (`cache.add`), so
with Redis or the database cache one drain serves every web process; with locmem each
process queues its own, one a second at most. The one assumption: the clocks of web and
worker machines agree within `CLOCK_SKEW_SECONDS` (NTP does far better).

With the immediate backend the drain runs inside the request, so there it looks once and
no promise is made. Several drains may run at once: each takes an event under a row lock
and skips those another holds, and `process_event` runs an event only while it is
`received`, so each event is processed exactly once. A drain that dies (worker killed)
leaves its events `received` (their transactions roll back): the next drain finds them,
queued by the first delivery after the promise expires or at the next worker start
(`recovery.py`).
"""

from __future__ import annotations

import logging
import time
from collections import Counter

from django.core.cache import caches
from django.core.signals import setting_changed
from django.db import router, transaction
from django.dispatch import receiver

from ..conf import get_settings
from ..models import WebhookEvent, WebhookEventStatus
from ..tasks_compat import is_immediate, task, task_backends
from .processing import _enqueue, process_event

logger = logging.getLogger(__name__)

__all__ = [
    "drain_received_events",
    "forget_promise",
    "process_received_webhook_events",
    "queue_drain",
    "queue_recovery_drain",
]

PROMISE_SECONDS = 1.0
"""How long deliveries rely on the drain one of them queued."""
CLOCK_SKEW_SECONDS = 1.0
"""How far the clocks of web and worker machines may disagree; a drain looks this much longer."""
POLL_SECONDS = 0.1
"""Pause between looks while a drain waits for deliveries that rely on it."""
MAX_WAIT_SECONDS = 30.0
"""A drain never waits longer than this, whatever `until` says (a clock far off)."""
SHARED_KEY = "helpscout:webhooks:drain-until"
BATCH = 100
MAX_EVENTS_PER_TASK = 1000
"""A drain hands over to a fresh task after this many events, so no task runs for long."""

# The promise this process relies on: (monotonic deadline, wall-clock `until`). One tuple,
# replaced whole, so threads of one process never see half of it.
_promise: tuple[float, float] = (0.0, 0.0)


@task()
def process_received_webhook_events(until: float | None = None) -> dict[str, int]:
    """Task: process every `received` event, oldest first, and keep looking until `until`
    (plus the clock margin) has passed; returns counts by outcome."""
    return drain_received_events(until=until)


def queue_drain() -> None:
    """After the current transaction commits, make sure a drain will see what it wrote."""
    transaction.on_commit(_queue_drain_now, using=router.db_for_write(WebhookEvent))


def queue_recovery_drain() -> bool:
    """Queue a drain that looks once at every `received` event (worker start, after a crash)."""
    return _enqueue(process_received_webhook_events, None, what="recovery drain of webhooks")


def forget_promise() -> None:
    """Forget the drain this process relies on (tests switching task backends)."""
    global _promise
    _promise = (0.0, 0.0)


@receiver(setting_changed)
def _forget_on_setting_change(*, setting: str, **kwargs: object) -> None:
    if setting in ("TASKS", "CACHES", "HELPSCOUT"):
        forget_promise()


def _rely_on(until: float) -> None:
    """From now on, and while `until` has not passed, rely on the drain queued under it."""
    global _promise
    left = min(until - time.time(), PROMISE_SECONDS)
    _promise = (time.monotonic() + left, until)


def _relied_on() -> bool:
    deadline, until = _promise
    return time.monotonic() < deadline and time.time() < until


def _queue_drain_now() -> None:
    backend = task_backends[get_settings().TASK_BACKEND]
    if is_immediate(backend):
        # Runs here and now, after the event committed: one look sees it.
        _enqueue(process_received_webhook_events, None, what="processing of received webhooks")
        return
    if _relied_on():
        return  # a drain is coming that will look after this event was committed
    until = time.time() + PROMISE_SECONDS
    other = _share(until)
    if other is not None:
        _rely_on(other)  # another process queued a drain that is still promised
        return
    if _enqueue(process_received_webhook_events, until, what="processing of received webhooks"):
        _rely_on(until)
    else:
        _unshare(until)  # nothing was queued: let the next delivery try again


def _share(until: float) -> float | None:
    """Offer `until` to other processes; returns another process's live promise instead."""
    cache = caches["default"]
    try:
        if cache.add(SHARED_KEY, until, int(PROMISE_SECONDS) or 1):
            return None
        other = cache.get(SHARED_KEY)
        if isinstance(other, int | float) and other - time.time() > POLL_SECONDS:
            return float(other)
        cache.set(SHARED_KEY, until, int(PROMISE_SECONDS) or 1)  # stale: ours replaces it
    except Exception as exc:  # the cache is down: queue our own drain, lose nothing
        logger.warning("Webhook drain promise not shared (cache: %s); queueing a drain.", exc)
    return None


def _unshare(until: float) -> None:
    cache = caches["default"]
    try:
        if cache.get(SHARED_KEY) == until:
            cache.delete(SHARED_KEY)
    except Exception as exc:
        logger.warning("Webhook drain promise could not be withdrawn (cache: %s).", exc)


def _wait_deadline(until: float | None) -> float:
    """The monotonic time after which one more full look ends the drain."""
    now = time.monotonic()
    if until is None:
        return now
    wait = until + CLOCK_SKEW_SECONDS - time.time()
    return now + max(0.0, min(wait, MAX_WAIT_SECONDS))


def drain_received_events(
    *, until: float | None = None, max_events: int = MAX_EVENTS_PER_TASK
) -> dict[str, int]:
    """Process `received` events in arrival order until a look that started after `until`
    (plus `CLOCK_SKEW_SECONDS`) finds none left to take (or `max_events` were handled)."""
    deadline = _wait_deadline(until)
    outcomes: Counter[str] = Counter()
    while True:
        started = time.monotonic()
        took = _look(outcomes, max_events)
        if outcomes.total() >= max_events:
            # The rest goes to a fresh task, which inherits the promise.
            _enqueue(process_received_webhook_events, until, what="next webhook drain")
            return dict(outcomes)
        if started >= deadline:
            return dict(outcomes)
        if not took:
            time.sleep(max(0.0, min(POLL_SECONDS, deadline - time.monotonic())))


def _look(outcomes: Counter[str], max_events: int) -> bool:
    """One pass over every `received` event; True if this drain took at least one."""
    took = False
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
            return took
        for event_id in ids:
            if outcomes.total() >= max_events:
                return took
            outcome = process_event(event_id, skip_locked=True)
            if outcome != "locked":  # held by another drain: its job, not progress here
                outcomes[outcome] += 1
                took = True
            last = event_id
