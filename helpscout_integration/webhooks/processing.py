"""Processing of stored webhook events on Django's tasks framework.

New deliveries are queued in bursts by `drain.py`; `enqueue_event(event)` queues a
single event after the current transaction commits (replays); `process_event(event_id)`
runs one: once, under a row lock, recording the outcome
(`processed`, `ignored`, `failed` with error and attempts) on the event. A failure is
retried with exponential backoff a bounded number of times when the task backend can
defer work; otherwise (or when the backend is down) `helpscout_process_webhooks` picks
the event up later. Nothing here ever drops an event or calls Help Scout inside the
event's transaction: fetches of what a payload lacks are separate follow-up tasks whose
failure leaves the event's own data in place.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any

from django.db import router, transaction
from django.utils import timezone

from ..conf import get_settings
from ..exceptions import PayloadError
from ..models import WebhookEvent, WebhookEventStatus
from ..signals import webhook_failed, webhook_received
from ..sync.fate import Fate
from ..sync.tombstones import merge_sources
from ..tasks_compat import task, task_backends
from .confirm import confirm_fates, confirm_gone
from .delivery import NotAResource, parse_body
from .handlers import deletion_to_confirm, handle

if TYPE_CHECKING:
    # Types only (django-stubs describes django.tasks): the backport has the same
    # classes, and tasks_compat picks one of the two at runtime.
    from django.tasks import Task
    from django.tasks.backends.base import BaseTaskBackend

logger = logging.getLogger(__name__)

__all__ = [
    "MAX_ATTEMPTS",
    "announce_failure",
    "enqueue_event",
    "fetch_conversation",
    "process_event",
    "process_webhook_event",
    "retry_delay",
]

MAX_ATTEMPTS = 5
"""Attempts (the first included) before a failing event is left `failed` for good."""

FINAL_STATUSES = (WebhookEventStatus.PROCESSED, WebhookEventStatus.IGNORED)
MERGE_EVENT = "convo.merged"


ERASED_BODY_NOTE = "Body erased: the delivery is about an erased customer."


def retry_delay(attempts: int) -> timedelta:
    """Wait before attempt `attempts + 1`: 30 s, 1 min, 2 min, 4 min... at most an hour."""
    return timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 3600))


# --- tasks ------------------------------------------------------------------------------


@task()
def process_webhook_event(event_id: int, force: bool = False) -> str:
    """Task wrapper around `process_event`; returns the event's status."""
    return process_event(event_id, force=force)


@task()
def fetch_conversation(conversation_id: int) -> str:
    """Follow-up: get a conversation with its threads from Help Scout and mirror it.

    Runs after the event that asked for it has been stored and processed; if Help Scout
    is unreachable it raises (the backend records the failure) and the mirror keeps what
    the event carried until the next sync. A 404 means Help Scout deleted it; a 301 that
    it merged it into another conversation, which is fetched in its place.
    """
    from ..client import HelpScoutClient
    from ..sync.fetch import fetch_conversation as fetch_into_mirror

    if not get_settings().api_enabled:
        logger.info(
            "Conversation %s not fetched: the Help Scout API is not configured.", conversation_id
        )
        return "skipped"
    # Same modification time as the event that asked for this fetch is fine: the writer
    # compares the JSON then, and the threads the event lacked make it differ. A 301
    # (merged) marks it merged and deleted and mirrors the survivor instead.
    with HelpScoutClient.from_settings() as client:
        outcome = fetch_into_mirror(client, conversation_id, source="webhook")
    return "fetched" if outcome.status == "found" else outcome.status


# --- enqueueing -------------------------------------------------------------------------


def _backend() -> BaseTaskBackend:
    return task_backends[get_settings().TASK_BACKEND]


def _submit(task_obj: Task[..., Any], *args: object, run_after: datetime | None = None) -> None:
    task_obj.using(backend=get_settings().TASK_BACKEND, run_after=run_after).enqueue(*args)


def _enqueue(
    task_obj: Task[..., Any], *args: object, run_after: datetime | None = None, what: str
) -> bool:
    """Enqueue on the configured backend; log and return False when it refuses."""
    alias = get_settings().TASK_BACKEND
    try:
        _submit(task_obj, *args, run_after=run_after)
    except Exception as exc:  # the backend is down or misconfigured: keep going
        logger.error(
            "Could not queue %s on task backend %r (%s: %s); run "
            "`manage.py helpscout_process_webhooks` once it is back.",
            what,
            alias,
            type(exc).__name__,
            exc,
        )
        return False
    return True


def enqueue_event(event: WebhookEvent, *, force: bool | None = None) -> None:
    """Queue one task for `event` once the current transaction commits.

    For replays (admin action, `helpscout_process_webhooks --enqueue`). New deliveries
    are queued through `drain.queue_drain`, which coalesces a burst into one task.
    Events already `processed` or `ignored` are replayed (`force`): their handler runs
    again, which the mirror's newest-wins rule makes harmless. If the backend cannot
    take the task, the event keeps its status and is logged; nothing is lost.
    """
    if force is None:
        force = event.status in FINAL_STATUSES
    transaction.on_commit(
        partial(
            _enqueue, process_webhook_event, event.pk, force, what=f"webhook event #{event.pk}"
        ),
        using=router.db_for_write(WebhookEvent),
    )


def _schedule_retry(event_id: int, attempts: int) -> None:
    backend = _backend()
    if not backend.supports_defer:
        logger.info(
            "Webhook event #%s failed; backend %r cannot defer, so "
            "`helpscout_process_webhooks` retries it.",
            event_id,
            backend.alias,
        )
        return
    run_after = timezone.now() + retry_delay(attempts)
    _enqueue(process_webhook_event, event_id, run_after=run_after, what=f"retry of #{event_id}")


# --- processing -------------------------------------------------------------------------


@dataclass
class _Confirmation:
    """What Help Scout said before the event's transaction (see `_ask_help_scout`)."""

    gone: bool = False  # a deletion's object is confirmed gone
    merge_fates: dict[int, Fate] = field(default_factory=dict)  # a merge's candidate sources
    error: Exception | None = None  # Help Scout could not be asked: retry, never apply


def _ask_help_scout(event_id: int, force: bool) -> _Confirmation:
    """Before the event's transaction: ask Help Scout what a deletion or a merge retires.

    A deletion's object must be confirmed gone; each candidate source of a `convo.merged`
    (a conversation the mirror holds some of the body's threads under) gets Help Scout's
    answer (`sync.fate`). Nothing is asked for other events, events already done, or a
    body the handler will refuse under the lock. An error is recorded on the event
    under the lock, and the event retried.
    """
    row = (
        WebhookEvent.objects.filter(pk=event_id)
        .values_list("event_type", "status", "resource_id")
        .first()
    )
    if row is None:
        return _Confirmation()
    event_type, status, object_id = row
    if status in FINAL_STATUSES and not force:
        return _Confirmation()
    if not (event_type.endswith(".deleted") or event_type == MERGE_EVENT):
        return _Confirmation()  # cheap test first: no body read for the common case
    body = WebhookEvent.objects.filter(pk=event_id).values_list("body", flat=True).first()
    try:
        data = parse_body(bytes(body or b""))
        target = deletion_to_confirm(event_type, data, object_id)
    except (PayloadError, NotAResource):
        return _Confirmation()
    try:
        if target is not None:
            confirm_gone(*target)
            return _Confirmation(gone=True)
        if event_type == MERGE_EVENT:
            return _Confirmation(merge_fates=confirm_fates("conversation", merge_sources(data)))
    except Exception as exc:  # recorded under the lock: retried, never applied blind
        return _Confirmation(error=exc)
    return _Confirmation()


def _processed_twin(event: WebhookEvent) -> int | None:
    """The first processed event with the same name and bytes, if any (a duplicate).

    A delivery's key is unique (storage.py), so a delivery's twin can only be a row
    without a key (written before repeats were counted, or not by the webhook view),
    found by digest in the small partial index of those rows. A row without a key may
    also repeat a delivery: a known event's key is its digest.
    """
    twins = WebhookEvent.objects.filter(
        event_type=event.event_type,
        status=WebhookEventStatus.PROCESSED,
        duplicate_of__isnull=True,
    ).exclude(pk=event.pk)
    lookups = [twins.filter(delivery_key__isnull=True, body_sha256=event.body_sha256)]
    if event.delivery_key is None:
        lookups.append(twins.filter(delivery_key=event.body_sha256))
    found = [pk for q in lookups if (pk := q.order_by("pk").values_list("pk", flat=True).first())]
    return min(found, default=None)


def process_event(event_id: int, *, force: bool = False, skip_locked: bool = False) -> str:
    """Process one stored event; returns its status afterwards.

    Idempotent: an event already `processed` or `ignored` is left alone unless `force`;
    the row is locked while it runs, so two workers never process it at once (with
    `skip_locked`, an event another worker holds is left to it: "locked"). An event
    whose body and type equal an already processed one is a duplicate delivery: it is
    marked `ignored` with `duplicate_of` and has no effect. `webhook_received` is sent
    after commit for each event processed or ignored (not for duplicates or failures).

    A deletion is applied, and a merge retires its sources, only when Help Scout
    confirms it (`confirm.py`), asked before the row is locked; when Help Scout still
    has a deleted object or cannot be asked, the event fails and is retried like any
    passing failure.
    """
    asked = _ask_help_scout(event_id, force)
    with transaction.atomic():
        event = (
            WebhookEvent.objects.select_for_update(skip_locked=skip_locked)
            .filter(pk=event_id)
            .first()
        )
        if event is None and skip_locked and WebhookEvent.objects.filter(pk=event_id).exists():
            return "locked"
        if event is None:
            logger.warning("Webhook event #%s does not exist; nothing to process.", event_id)
            return "missing"
        if event.status in FINAL_STATUSES and not force:
            return event.status
        event.attempts += 1
        now = timezone.now()

        original = None if force else _processed_twin(event)
        if original is not None:
            event.status = WebhookEventStatus.IGNORED
            event.duplicate_of_id = original
            event.error = ""
            event.processed_at = now
            fields = ["status", "duplicate_of", "error", "processed_at", "attempts"]
            if WebhookEvent.objects.filter(pk=original, body=b"").exists():
                # Its twin's body was erased (a customer erasure): so is this copy's.
                event.body = b""
                event.error = ERASED_BODY_NOTE
                fields.append("body")
            event.save(update_fields=fields)
            return event.status

        try:
            with transaction.atomic():
                data = parse_body(bytes(event.body))
                if asked.error is not None and (
                    event.event_type == MERGE_EVENT
                    or deletion_to_confirm(event.event_type, data, event.resource_id)
                ):
                    raise asked.error
                outcome = handle(
                    event.event_type,
                    data,
                    event.resource_id,
                    confirmed_gone=asked.gone,
                    merge_fates=asked.merge_fates,
                )
        except (PayloadError, NotAResource) as exc:
            # The body will never become valid: record it, no retry.
            return _record_failure(event, exc, retry=False)
        except Exception as exc:
            return _record_failure(event, exc, retry=event.attempts < MAX_ATTEMPTS)

        event.status = outcome.status
        event.error = ""
        event.processed_at = now
        fields = ["status", "error", "processed_at", "attempts"]
        if outcome.erase_body:  # about an erased customer: keep the facts, not the body
            event.body = b""
            event.error = ERASED_BODY_NOTE
            fields.append("body")
        event.save(update_fields=fields)
        for conversation_id in dict.fromkeys(outcome.fetch_conversations):
            transaction.on_commit(
                partial(
                    _enqueue,
                    fetch_conversation,
                    conversation_id,
                    what=f"fetch of conversation {conversation_id} for #{event.pk}",
                )
            )
        transaction.on_commit(partial(_send_received, event.pk))
    return event.status


def _record_failure(event: WebhookEvent, exc: Exception, *, retry: bool) -> str:
    event.status = WebhookEventStatus.FAILED
    event.error = f"{type(exc).__name__}: {exc}"[:2000]
    event.save(update_fields=["status", "error", "attempts"])
    logger.warning(
        "Webhook event #%s (%s) failed on attempt %d: %s",
        event.pk,
        event.event_type,
        event.attempts,
        event.error,
    )
    if retry:
        transaction.on_commit(partial(_schedule_retry, event.pk, event.attempts))
    else:
        announce_failure(event.pk)
    return event.status


def announce_failure(event_id: int) -> None:
    """After commit, send `webhook_failed` for an event that failed for good."""
    transaction.on_commit(partial(_send_failed, event_id), using=router.db_for_write(WebhookEvent))


def _send_failed(event_id: int) -> None:
    event = WebhookEvent.objects.filter(pk=event_id).first()
    if event is not None and event.status == WebhookEventStatus.FAILED:
        webhook_failed.send(sender=WebhookEvent, event=event, error=event.error)


def _send_received(event_id: int) -> None:
    if not webhook_received.has_listeners(WebhookEvent):
        return  # no one to tell: spare the worker a read per event
    event = WebhookEvent.objects.filter(pk=event_id).first()
    if event is not None:
        webhook_received.send(sender=WebhookEvent, event=event)
