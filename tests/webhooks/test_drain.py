"""New deliveries are processed by drain tasks: one queued per burst, nothing missed."""

from __future__ import annotations

import pytest
from django.core.cache import cache, caches
from django_tasks_db.models import DBTaskResult

from helpscout_integration.models import Conversation, WebhookEvent
from helpscout_integration.webhooks import drain
from helpscout_integration.webhooks.drain import drain_received_events

from . import payloads
from .conftest import SECRET

pytestmark = pytest.mark.django_db


@pytest.fixture
def db_backend(webhook_settings):
    """The demo's database backend: queued tasks are rows, and nothing runs them."""
    webhook_settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    webhook_settings.HELPSCOUT = {"WEBHOOK_SECRET": [SECRET]}
    return webhook_settings


def _drain_tasks():
    return DBTaskResult.objects.filter(task_path__endswith="process_received_webhook_events")


def test_a_burst_of_deliveries_queues_one_drain_that_processes_them_all(deliver, db_backend):
    for number in range(5):
        assert deliver("convo.created", payloads.conversation(1001 + number)).status_code == 200
    assert _drain_tasks().count() == 1, "one task for the burst, not one per delivery"
    assert set(WebhookEvent.objects.values_list("status", flat=True)) == {"received"}

    assert drain_received_events() == {"processed": 5}
    assert set(WebhookEvent.objects.values_list("status", flat=True)) == {"processed"}
    assert Conversation.objects.filter(is_placeholder=False).count() == 5


def test_a_delivery_after_the_drain_started_queues_another(deliver, db_backend, monkeypatch):
    deliver("convo.created", payloads.conversation(1001))
    real_process = drain.process_event

    def deliver_while_draining(event_id, **kwargs):
        # A delivery lands while the drain works: the drain cleared the flag first, so
        # this delivery queues the next drain instead of relying on this one.
        if not WebhookEvent.objects.filter(resource_id=1002).exists():
            deliver("convo.created", payloads.conversation(1002))
        return real_process(event_id, **kwargs)

    monkeypatch.setattr(drain, "process_event", deliver_while_draining)
    drain_received_events()
    assert _drain_tasks().count() == 2
    assert WebhookEvent.objects.get(resource_id=1001).status == "processed"


def test_events_are_processed_exactly_once_however_many_drains_run(deliver, db_backend):
    for number in range(3):
        deliver("convo.created", payloads.conversation(1001 + number))
    assert drain_received_events() == {"processed": 3}
    assert drain_received_events() == {}
    assert list(WebhookEvent.objects.values_list("attempts", flat=True)) == [1, 1, 1]


def test_a_long_backlog_is_handed_over_to_a_fresh_task(deliver, db_backend):
    for number in range(3):
        deliver("convo.created", payloads.conversation(1001 + number))
    DBTaskResult.objects.all().delete()
    assert drain_received_events(max_events=2) == {"processed": 2}
    assert _drain_tasks().count() == 1, "the rest is left to a new drain task"
    assert WebhookEvent.objects.filter(status="received").count() == 1


def test_without_a_cache_every_delivery_queues_a_drain(deliver, db_backend, monkeypatch):
    def cache_down(*args, **kwargs):
        raise ConnectionError("cache unreachable")

    default_cache = caches["default"]
    monkeypatch.setattr(default_cache, "add", cache_down)
    monkeypatch.setattr(default_cache, "delete", cache_down)
    deliver("convo.created", payloads.conversation(1001))
    deliver("convo.created", payloads.conversation(1002))
    assert _drain_tasks().count() == 2
    assert drain_received_events() == {"processed": 2}


def test_backend_down_keeps_events_received_and_lets_the_next_delivery_retry(
    deliver, webhook_settings, caplog
):
    webhook_settings.TASKS = {"default": {"BACKEND": "tests.webhooks.backends.DownBackend"}}
    assert deliver("convo.created", payloads.conversation(1001)).status_code == 200
    assert WebhookEvent.objects.get().status == "received"
    assert "Could not queue processing of received webhooks" in caplog.text
    assert cache.get(drain.QUEUED_KEY) is None, "the flag is cleared for the next delivery"

    webhook_settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    deliver("convo.created", payloads.conversation(1002))
    assert _drain_tasks().count() == 1
    assert drain_received_events() == {"processed": 2}, "the first event was not lost"


def test_a_rolled_back_delivery_queues_nothing(deliver, db_backend):
    response = deliver("convo.created", payloads.conversation(1001), commit=False)
    assert response.status_code == 200
    assert not _drain_tasks().exists(), "queued only after the event is committed"
