"""webhooks/storage.py: the view's lean INSERT stores exactly what `Model.save` would."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from helpscout_integration.models import WebhookEvent
from helpscout_integration.webhooks import storage
from helpscout_integration.webhooks.storage import insert_event

pytestmark = pytest.mark.django_db

FIELDS = ("event_type", "headers", "body_sha256", "resource_id", "signature_valid", "status")


def _event(**extra):
    return WebhookEvent(
        event_type="convo.created",
        body=b'{"id": 7, "subject": "Zo\xc3\xab"}',
        headers={"X-HelpScout-Event": "convo.created", "User-Agent": "Help Scout"},
        resource_id=7,
        signature_valid=True,
        **extra,
    )


def test_inserted_event_reads_back_like_a_saved_one():
    before = timezone.now()
    inserted = insert_event(_event())
    saved = _event()
    saved.save()
    assert inserted.pk is not None and inserted.pk != saved.pk
    assert not inserted._state.adding
    fresh, twin = WebhookEvent.objects.get(pk=inserted.pk), WebhookEvent.objects.get(pk=saved.pk)
    assert bytes(fresh.body) == bytes(twin.body) == _event().body
    assert [getattr(fresh, f) for f in FIELDS] == [getattr(twin, f) for f in FIELDS]
    assert fresh.status == "received" and fresh.attempts == 0 and fresh.error == ""
    assert before <= fresh.received_at <= timezone.now() + timedelta(seconds=1)
    assert fresh.duplicate_of_id is None and fresh.processed_at is None


def test_backends_without_insert_returning_fall_back_to_save(monkeypatch):
    monkeypatch.setattr(storage, "_returns_ids", lambda connection: False)
    saves = []
    real_save = WebhookEvent.save

    def counted_save(self, **kwargs):
        saves.append(self)
        real_save(self, **kwargs)

    monkeypatch.setattr(WebhookEvent, "save", counted_save)
    event = insert_event(_event())
    assert len(saves) == 1
    assert WebhookEvent.objects.get(pk=event.pk).resource_id == 7
