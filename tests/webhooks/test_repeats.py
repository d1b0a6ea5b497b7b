"""Repeats: the same signed bytes delivered again are counted on the first row.

Help Scout retries a delivery whose answer it did not get, and anyone holding a captured
delivery can replay it; neither may grow the table by a row (of up to 1 MiB) each time.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from helpscout_integration.models import Conversation, WebhookEvent
from helpscout_integration.webhooks import handlers, storage
from helpscout_integration.webhooks.storage import REOPEN_AFTER

from . import payloads

pytestmark = pytest.mark.django_db


def test_the_same_bytes_three_times_are_one_row_counted_three_times(deliver):
    body = payloads.conversation(1001, subject="x" * 50_000)
    first = deliver("convo.created", body)
    assert first.json() == {"event": WebhookEvent.objects.get().pk}
    for _ in range(2):
        again = deliver("convo.created", body)
        assert again.status_code == 200
        assert again.json() == {"event": first.json()["event"], "repeat": True}
    event = WebhookEvent.objects.get()
    assert event.deliveries == 3
    assert event.received_at <= event.last_delivered_at <= timezone.now()
    assert event.status == "processed"


def test_other_bytes_or_another_known_event_name_are_new_rows(deliver):
    """Help Scout may send one body for two events (created and assigned at once)."""
    body = payloads.conversation(1001)
    deliver("convo.created", body)
    deliver("convo.assigned", body)
    deliver("convo.created", payloads.conversation(1001, minutes=1))
    assert WebhookEvent.objects.count() == 3
    assert set(WebhookEvent.objects.values_list("deliveries", flat=True)) == {1}


def test_made_up_event_names_cannot_multiply_rows(deliver):
    body = payloads.conversation(1001)
    for n in range(5):
        assert deliver(f"convo.invented-{n}", body).status_code == 200
    event = WebhookEvent.objects.get()
    assert (event.event_type, event.deliveries, event.status) == ("convo.invented-0", 5, "ignored")


def test_a_signed_body_refused_at_the_door_is_counted_and_refused_again(deliver):
    for _ in range(3):
        response = deliver("convo.created", b"[" * 1000 + b"]" * 1000)
        assert response.status_code == 400
    event = WebhookEvent.objects.get()
    assert (event.status, event.deliveries) == ("failed", 3)
    assert response.json()["event"] == event.pk


def test_a_repeat_while_waiting_queues_a_drain_again(deliver, monkeypatch):
    queued = []
    monkeypatch.setattr(
        "helpscout_integration.webhooks.views.queue_drain", lambda: queued.append(1)
    )
    body = payloads.conversation(1001)
    deliver("convo.created", body, commit=False)
    deliver("convo.created", body, commit=False)
    assert len(queued) == 2
    event = WebhookEvent.objects.get()
    assert (event.status, event.deliveries) == ("received", 2)


def test_repeat_of_a_processed_event_has_no_effect_and_queues_nothing(deliver, monkeypatch):
    body = payloads.conversation(1001)
    deliver("convo.created", body)
    queued = []
    monkeypatch.setattr(
        "helpscout_integration.webhooks.views.queue_drain", lambda: queued.append(1)
    )
    deliver("convo.created", body)
    assert queued == []
    assert WebhookEvent.objects.get().status == "processed"


def _fail_then_recover(monkeypatch):
    real = handlers.HANDLERS["convo.created"]
    calls = []

    def flaky(data, resource_id):
        calls.append(1)
        if len(calls) == 1:
            raise OSError("database on fire")
        return real(data, resource_id)

    monkeypatch.setitem(handlers.HANDLERS, "convo.created", flaky)
    return calls


def test_help_scouts_redelivery_of_a_failed_event_processes_it_again(deliver, monkeypatch):
    calls = _fail_then_recover(monkeypatch)
    body = payloads.conversation(1001)
    deliver("convo.created", body)
    event = WebhookEvent.objects.get()
    assert event.status == "failed"
    # Help Scout's retry comes minutes later.
    WebhookEvent.objects.filter(pk=event.pk).update(
        last_delivered_at=timezone.now() - REOPEN_AFTER - timedelta(seconds=1)
    )
    assert deliver("convo.created", body).json() == {"event": event.pk, "repeat": True}
    event.refresh_from_db()
    assert (event.status, event.deliveries, event.attempts) == ("processed", 2, 2)
    assert len(calls) == 2
    assert Conversation.objects.filter(pk=1001, is_placeholder=False).exists()


def test_a_replay_loop_gets_a_failed_event_at_most_one_attempt_a_minute(deliver, monkeypatch):
    calls = _fail_then_recover(monkeypatch)
    body = payloads.conversation(1001)
    deliver("convo.created", body)
    for _ in range(3):
        deliver("convo.created", body)  # within the minute
    event = WebhookEvent.objects.get()
    assert (event.status, event.deliveries, event.attempts) == ("failed", 4, 1)
    assert len(calls) == 1


@pytest.mark.parametrize("upsert", [True, False], ids=["on-conflict", "orm-fallback"])
def test_storage_counts_repeats_the_same_way_on_every_backend(monkeypatch, upsert):
    if not upsert:
        monkeypatch.setattr(storage, "_supports_upsert", lambda connection: False)

    def event(**extra):
        return WebhookEvent(
            event_type="tag.created", body=b'{"id": 11}', signature_valid=True, **extra
        )

    first = storage.record_delivery(event())
    assert (first.deliveries, first.status, first.repeat) == (1, "received", False)
    WebhookEvent.objects.filter(pk=first.pk).update(
        status="failed", last_delivered_at=timezone.now() - timedelta(hours=1)
    )
    kept = storage.record_delivery(event(), reopen=False)
    assert (kept.pk, kept.deliveries, kept.status) == (first.pk, 2, "failed")
    WebhookEvent.objects.filter(pk=first.pk).update(
        last_delivered_at=timezone.now() - timedelta(hours=1)
    )
    reopened = storage.record_delivery(event())
    assert (reopened.pk, reopened.deliveries, reopened.status) == (first.pk, 3, "received")
    assert WebhookEvent.objects.count() == 1


def test_the_key_of_a_known_event_is_its_body_digest():
    body = b'{"id": 11, "name": "vip", "slug": "vip"}'
    event = WebhookEvent(event_type="tag.created", body=body, signature_valid=True)
    storage.record_delivery(event)
    stored = WebhookEvent.objects.get()
    assert stored.delivery_key == stored.body_sha256 == storage.delivery_key("tag.created", body)
    assert storage.delivery_key("x.unknown", body) == storage.delivery_key("y.unknown", body)


@pytest.mark.django_db(transaction=True)
def test_simultaneous_repeats_make_one_row():
    """Eight copies of one delivery arriving at once: one row counting eight."""
    import threading

    from django.db import connection as main_connection
    from django.db import connections

    if main_connection.vendor == "sqlite" and main_connection.is_in_memory_db():
        pytest.skip("threads cannot share an in-memory SQLite database")  # pragma: no cover
    barrier = threading.Barrier(8)
    errors = []

    def deliver():
        try:
            barrier.wait()
            storage.record_delivery(
                WebhookEvent(event_type="tag.created", body=b'{"id": 11}', signature_valid=True)
            )
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=deliver) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert list(WebhookEvent.objects.values_list("deliveries", flat=True)) == [8]
