"""`webhook_failed`: sent once an event has failed for good, never for one to be retried."""

from __future__ import annotations

import pytest

from helpscout_integration.models import WebhookEvent
from helpscout_integration.signals import webhook_failed
from helpscout_integration.webhooks import handlers
from helpscout_integration.webhooks.processing import MAX_ATTEMPTS, process_event

from . import payloads

pytestmark = pytest.mark.django_db


@pytest.fixture
def failures():
    heard = []

    def receiver(sender, event, error, **kwargs):
        heard.append((event.pk, event.status, error))

    webhook_failed.connect(receiver)
    yield heard
    webhook_failed.disconnect(receiver)


def test_a_body_that_can_never_be_processed_is_announced_once(deliver, failures):
    deliver("customer.updated", payloads.conversation(1001))
    event = WebhookEvent.objects.get()
    assert failures == [(event.pk, "failed", event.error)]
    assert "must carry a Help Scout customer" in event.error


def test_a_body_refused_at_the_door_is_announced_once_not_per_repeat(deliver, failures):
    for _ in range(2):
        assert deliver("convo.created", b"{not json").status_code == 400
    event = WebhookEvent.objects.get()
    assert failures == [(event.pk, "failed", event.error)]


def test_a_passing_failure_is_announced_only_after_the_last_attempt(
    deliver, failures, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setitem(
        handlers.HANDLERS,
        "tag.created",
        lambda data, rid: (_ for _ in ()).throw(OSError("disk full")),
    )
    deliver("tag.created", payloads.tag(11))
    event = WebhookEvent.objects.get()
    assert failures == []  # attempt 1 of MAX_ATTEMPTS: will be retried
    for attempt in range(2, MAX_ATTEMPTS + 1):
        with django_capture_on_commit_callbacks(execute=True):
            assert process_event(event.pk) == "failed"
        assert len(failures) == (1 if attempt == MAX_ATTEMPTS else 0)
    assert failures[0][2] == "OSError: disk full"


def test_not_sent_when_the_failure_rolls_back(webhook_settings, failures):
    """Host code hears only of failures that were committed."""
    event = WebhookEvent.objects.create(event_type="tag.created", body=b"{nope")
    process_event(event.pk)  # the test transaction never commits: no on-commit callback
    assert failures == []
