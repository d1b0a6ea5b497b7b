"""With the database task backend, the event and its task row are committed together."""

from __future__ import annotations

import pytest
from django.db import transaction
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from helpscout_integration.models import WebhookEvent
from helpscout_integration.webhooks.processing import enqueue_event

from . import payloads
from .conftest import SECRET

pytestmark = pytest.mark.django_db


@pytest.fixture
def db_backend(webhook_settings):
    webhook_settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    webhook_settings.HELPSCOUT = {"WEBHOOK_SECRET": [SECRET]}
    return webhook_settings


def test_task_row_written_in_the_events_transaction(deliver, db_backend):
    response = deliver("convo.created", payloads.conversation(1001), commit=False)
    assert response.status_code == 200
    event = WebhookEvent.objects.get()
    task = DBTaskResult.objects.get()
    assert task.task_path.endswith("process_webhook_event")
    assert task.args_kwargs["args"] == [event.pk, False]
    assert event.status == "received"  # queued, not processed: no worker in this test


def test_rolled_back_transaction_leaves_neither_event_nor_task(db_backend):
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            event = WebhookEvent.objects.create(event_type="tag.created", body=b'{"id": 1}')
            enqueue_event(event)
            assert DBTaskResult.objects.count() == 1
            raise RuntimeError("request failed after enqueue")
    assert not WebhookEvent.objects.exists()
    assert not DBTaskResult.objects.exists()


def test_failed_in_transaction_enqueue_keeps_the_event_and_retries_after_commit(
    deliver, db_backend, monkeypatch, caplog
):
    calls = []
    real = DatabaseBackend.enqueue

    def flaky(self, task, args, kwargs):
        calls.append(args)
        if len(calls) == 1:
            raise ConnectionError("task table locked")
        return real(self, task, args, kwargs)

    monkeypatch.setattr(DatabaseBackend, "enqueue", flaky)
    assert deliver("convo.created", payloads.conversation(1001)).status_code == 200
    assert WebhookEvent.objects.count() == 1
    assert len(calls) == 2, "tried in the transaction, then again after commit"
    assert DBTaskResult.objects.count() == 1
    assert "trying after commit" in caplog.text
