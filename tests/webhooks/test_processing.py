"""Processing guarantees: once, idempotent, order-safe, durable when the queue is down."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from helpscout_integration.models import Conversation, Customer, Thread, WebhookEvent
from helpscout_integration.signals import webhook_received
from helpscout_integration.tasks_compat import DUMMY_BACKEND, IMMEDIATE_BACKEND
from helpscout_integration.webhooks import handlers
from helpscout_integration.webhooks.processing import (
    MAX_ATTEMPTS,
    enqueue_event,
    process_event,
    retry_delay,
)

from . import payloads
from .conftest import API, SECRET, encode

pytestmark = pytest.mark.django_db


def mirror_state():
    """Everything a conversation event can change, as comparable plain data."""
    return [
        (
            c.id,
            c.status,
            c.subject,
            c.mailbox_id,
            c.assignee_id,
            c.is_deleted,
            sorted(c.tags.values_list("id", flat=True)),
            sorted(Thread.objects.filter(conversation=c).values_list("id", flat=True)),
        )
        for c in Conversation.objects.filter(is_placeholder=False).order_by("id")
    ]


def update_stream():
    """A conversation's life as Help Scout would report it, one minute per change."""
    threads = [payloads.thread(10011)]
    stream = [("convo.created", payloads.conversation(1001, threads=threads))]
    changes = [
        ("convo.assigned", {"assignee": payloads.AGENT_REF}),
        ("convo.tags", {"tags": [(11, "vip")]}),
        ("convo.customer.reply.created", {"threads": [*threads, payloads.thread(10012)]}),
        ("convo.status", {"status": "pending"}),
        ("convo.moved", {"mailbox_id": 86}),
        ("convo.tags", {"tags": [(11, "vip"), (12, "billing")]}),
        ("convo.note.created", {"threads": [*threads, payloads.thread(10013, type="note")]}),
        ("convo.status", {"status": "closed"}),
    ]
    state: dict = {}
    for minutes, (event_type, change) in enumerate(changes, start=1):
        state.update(change)
        stream.append((event_type, payloads.conversation(1001, minutes=minutes, **state)))
    stream.append(("convo.created", payloads.conversation(1002, minutes=3)))
    stream.append(("convo.status", payloads.conversation(1002, minutes=9, status="spam")))
    return stream


def test_duplicate_delivery_has_no_second_effect(deliver):
    body = payloads.conversation(1001)
    synced = []

    def receiver(sender, event, **kwargs):
        synced.append(event.pk)

    webhook_received.connect(receiver)
    try:
        first = deliver("convo.created", body).json()["event"]
        # Meanwhile the agent changed it (newer), then Help Scout retried the old delivery.
        deliver("convo.status", payloads.conversation(1001, minutes=5, status="closed"))
        second = deliver("convo.created", body).json()
    finally:
        webhook_received.disconnect(receiver)
    assert second == {"event": first, "repeat": True}  # counted on the first row
    assert WebhookEvent.objects.get(pk=first).deliveries == 2
    assert Conversation.objects.get(pk=1001).status == "closed"
    assert synced.count(first) == 1, "host code is not told twice about one change"


def test_duplicate_row_from_before_repeats_were_counted_is_ignored():
    """Rows without a delivery key (older versions) can still hold a duplicate."""
    body = b'{"id": 1001, "number": 301, "subject": "Hi", "status": "active"}'
    first = WebhookEvent.objects.create(event_type="convo.created", body=body)
    assert process_event(first.pk) == "processed"
    second = WebhookEvent.objects.create(event_type="convo.created", body=body)
    assert process_event(second.pk) == "ignored"
    second.refresh_from_db()
    assert second.duplicate_of_id == first.pk


def test_unkeyed_row_duplicating_a_delivery_is_ignored(deliver):
    """A row written without a delivery key (an import, an older version) that repeats a
    processed delivery is found by the delivery's unique key, not by a digest index."""
    body = payloads.conversation(1001)
    delivered = deliver("convo.created", body).json()["event"]
    assert WebhookEvent.objects.get(pk=delivered).delivery_key is not None
    copy = WebhookEvent.objects.create(event_type="convo.created", body=encode(body))
    assert copy.delivery_key is None
    assert process_event(copy.pk) == "ignored"
    copy.refresh_from_db()
    assert copy.duplicate_of_id == delivered


def test_same_body_different_event_is_not_a_duplicate(deliver):
    body = payloads.conversation(1001)
    deliver("convo.created", body)
    deliver("convo.status", body)
    assert [e.duplicate_of_id for e in WebhookEvent.objects.all()] == [None, None]


def test_reordered_stream_converges_to_in_order_state(deliver):
    stream = update_stream()
    for event_type, body in stream:
        deliver(event_type, body)
    in_order = mirror_state()
    assert in_order[0][1:6] == ("closed", "I need help!", 86, 256, False)
    assert in_order[1][1] == "spam"
    for seed in range(5):
        Conversation.objects.all().delete()
        WebhookEvent.objects.all().delete()
        shuffled = stream[:]
        random.Random(seed).shuffle(shuffled)
        for event_type, body in shuffled:
            deliver(event_type, body)
        assert mirror_state() == in_order, f"shuffle seed {seed}"


def test_deletion_wins_over_late_older_updates(deliver, api_settings):
    api_settings.get(f"{API}/conversations/1001").respond(404, json={"message": "Not found"})
    deliver("convo.created", payloads.conversation(1001))
    deliver("convo.deleted", {"id": 1001})
    deliver("convo.status", payloads.conversation(1001, minutes=2, status="closed"))
    assert Conversation.objects.get(pk=1001).is_deleted


def test_failure_recorded_then_replayed(deliver, monkeypatch):
    def broken(data, resource_id):
        raise RuntimeError("database went away")

    monkeypatch.setitem(handlers.HANDLERS, "convo.created", broken)
    event_id = deliver("convo.created", payloads.conversation(1001)).json()["event"]
    event = WebhookEvent.objects.get(pk=event_id)
    assert (event.status, event.attempts) == ("failed", 1)
    assert event.error == "RuntimeError: database went away"
    assert event.processed_at is None
    assert not Conversation.objects.filter(pk=1001).exists()

    monkeypatch.undo()
    assert process_event(event_id) == "processed"
    event.refresh_from_db()
    assert (event.status, event.attempts, event.error) == ("processed", 2, "")
    assert Conversation.objects.filter(pk=1001, is_placeholder=False).exists()


def test_failed_handler_leaves_no_partial_writes(deliver, monkeypatch):
    real = handlers.write_parsed_conversations

    def write_then_fail(*args, **kwargs):
        real(*args, **kwargs)
        raise RuntimeError("after the write")

    monkeypatch.setattr(handlers, "write_parsed_conversations", write_then_fail)
    deliver("convo.created", payloads.conversation(1001))
    assert WebhookEvent.objects.get().status == "failed"
    assert not Conversation.objects.exists()
    assert not Thread.objects.exists()


def test_retries_are_scheduled_with_backoff_and_bounded(
    settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.TASKS = {
        "default": {"BACKEND": IMMEDIATE_BACKEND},
        "deferred": {"BACKEND": DUMMY_BACKEND},
    }
    settings.HELPSCOUT = {"WEBHOOK_SECRET": [SECRET], "TASK_BACKEND": "deferred"}
    from helpscout_integration.tasks_compat import task_backends

    backend = task_backends["deferred"]
    monkeypatch.setitem(
        handlers.HANDLERS,
        "tag.created",
        lambda data, rid: (_ for _ in ()).throw(OSError("disk full")),
    )
    event = WebhookEvent.objects.create(event_type="tag.created", body=b'{"id": 11}')
    before = timezone.now()
    for attempt in range(1, MAX_ATTEMPTS + 1):
        backend.results.clear()
        with django_capture_on_commit_callbacks(execute=True):
            assert process_event(event.pk) == "failed"
        retries = [r for r in backend.results if r.task.name == "process_webhook_event"]
        if attempt < MAX_ATTEMPTS:
            assert len(retries) == 1
            assert retries[0].args[0] == event.pk
            delay = retries[0].task.run_after - before
            assert retry_delay(attempt) <= delay < retry_delay(attempt) + timedelta(seconds=30)
        else:
            assert retries == [], "no retry after the last attempt"
    event.refresh_from_db()
    assert event.attempts == MAX_ATTEMPTS
    assert retry_delay(1) < retry_delay(2) < retry_delay(3)


def test_enqueue_waits_for_commit(webhook_settings, django_capture_on_commit_callbacks):
    event = WebhookEvent.objects.create(
        event_type="tag.created", body=b'{"id": 11, "name": "vip", "slug": "vip"}'
    )
    with django_capture_on_commit_callbacks() as callbacks:
        enqueue_event(event)
        event.refresh_from_db()
        assert event.status == "received", "nothing runs before the transaction commits"
    assert len(callbacks) == 1
    callbacks[0]()
    event.refresh_from_db()
    assert event.status == "processed"


def test_view_enqueues_only_on_commit(deliver):
    response = deliver("convo.created", payloads.conversation(1001), commit=False)
    assert response.status_code == 200
    assert WebhookEvent.objects.get().status == "received"
    assert not Conversation.objects.exists()


def test_rolled_back_request_enqueues_nothing(webhook_settings, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        try:
            with transaction.atomic():
                event = WebhookEvent.objects.create(event_type="tag.created", body=b'{"id": 1}')
                enqueue_event(event)
                raise RuntimeError("rollback")
        except RuntimeError:
            pass
    assert callbacks == []


def test_processed_event_is_not_processed_again(deliver):
    event_id = deliver("convo.created", payloads.conversation(1001)).json()["event"]
    assert process_event(event_id) == "processed"
    assert WebhookEvent.objects.get(pk=event_id).attempts == 1


def test_replay_of_processed_event_runs_it_again_without_harm(
    deliver, django_capture_on_commit_callbacks
):
    event_id = deliver("convo.created", payloads.conversation(1001)).json()["event"]
    before = mirror_state()
    event = WebhookEvent.objects.get(pk=event_id)
    with django_capture_on_commit_callbacks(execute=True):
        enqueue_event(event)  # the admin's "replay selected"
    event.refresh_from_db()
    assert event.attempts == 2
    assert event.status == "processed"
    assert mirror_state() == before


def test_backend_down_keeps_event_received_then_command_processes(deliver, settings, caplog):
    settings.TASKS = {
        "default": {"BACKEND": IMMEDIATE_BACKEND},
        "down": {"BACKEND": "tests.webhooks.backends.DownBackend"},
    }
    settings.HELPSCOUT = {"WEBHOOK_SECRET": [SECRET], "TASK_BACKEND": "down"}
    response = deliver("convo.created", payloads.conversation(1001))
    assert response.status_code == 200, "Help Scout is told the delivery is safe"
    event = WebhookEvent.objects.get()
    assert event.status == "received"
    assert "Could not queue processing of received webhooks" in caplog.text
    assert not Conversation.objects.exists()

    call_command("helpscout_process_webhooks", "--min-age", "0")
    event.refresh_from_db()
    assert event.status == "processed"
    assert Conversation.objects.filter(pk=1001, is_placeholder=False).exists()


def test_command_skips_recent_and_exhausted_events(webhook_settings, capsys):
    fresh = WebhookEvent.objects.create(
        event_type="customer.created",
        body=b'{"id": 1, "firstName": "A"}',
        signature_valid=True,
    )
    old = WebhookEvent.objects.create(
        event_type="customer.created",
        body=b'{"id": 2, "firstName": "B"}',
        signature_valid=True,
    )
    exhausted = WebhookEvent.objects.create(
        event_type="customer.created",
        body=b'{"id": 3, "firstName": "C"}',
        signature_valid=True,
        status="failed",
        attempts=MAX_ATTEMPTS,
    )
    WebhookEvent.objects.filter(pk__in=[old.pk, exhausted.pk]).update(
        received_at=timezone.now() - timedelta(minutes=10)
    )
    call_command("helpscout_process_webhooks")
    assert "1 webhook event(s): 1 processed." in capsys.readouterr().out
    assert WebhookEvent.objects.get(pk=fresh.pk).status == "received"
    assert WebhookEvent.objects.get(pk=old.pk).status == "processed"
    assert WebhookEvent.objects.get(pk=exhausted.pk).status == "failed"
    assert list(Customer.objects.values_list("id", flat=True)) == [2]


def test_command_retries_failed_events(deliver, monkeypatch):
    monkeypatch.setitem(
        handlers.HANDLERS,
        "customer.created",
        lambda data, rid: (_ for _ in ()).throw(RuntimeError("flaky")),
    )
    deliver("customer.created", payloads.customer(4321))
    monkeypatch.undo()
    call_command("helpscout_process_webhooks", "--min-age", "0")
    event = WebhookEvent.objects.get()
    assert (event.status, event.attempts) == ("processed", 2)
    assert Customer.objects.filter(pk=4321).exists()


@pytest.mark.parametrize(
    "body",
    [
        b"[" * 1000 + b"]" * 1000,
        b'{"id": 1001, "subject": "\\ud800"}',
        b'{"id": 1001, "number": 340282366920938463463374607431768211456}',
    ],
)
def test_stored_body_the_mirror_cannot_store_fails_for_good_at_once(
    settings, body, django_capture_on_commit_callbacks
):
    """A body stored before it could be refused (older version, replay) is not retried."""
    settings.TASKS = {
        "default": {"BACKEND": IMMEDIATE_BACKEND},
        "deferred": {"BACKEND": DUMMY_BACKEND},
    }
    settings.HELPSCOUT = {"WEBHOOK_SECRET": [SECRET], "TASK_BACKEND": "deferred"}
    from helpscout_integration.tasks_compat import task_backends

    backend = task_backends["deferred"]
    backend.results.clear()
    event = WebhookEvent.objects.create(event_type="convo.created", body=body, signature_valid=True)
    with django_capture_on_commit_callbacks(execute=True):
        assert process_event(event.pk) == "failed"
    event.refresh_from_db()
    assert event.attempts == 1
    assert "not valid JSON" in event.error
    assert [r for r in backend.results if r.task.name == "process_webhook_event"] == []
    assert not Conversation.objects.exists()
