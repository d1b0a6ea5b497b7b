"""The event name is not signed: a body decides what it is, Help Scout confirms deletions.

A captured delivery can be replayed under any `X-HelpScout-Event`; these tests replay
real bodies under the wrong name and check that the mirror is not turned against itself.
"""

from __future__ import annotations

import httpx
import pytest
from django.db import connection

from helpscout_integration.client import HelpScoutClient
from helpscout_integration.models import Conversation, Customer, Tag, WebhookEvent
from helpscout_integration.webhooks.processing import MAX_ATTEMPTS, process_event

from . import payloads
from .conftest import API

pytestmark = pytest.mark.django_db

NOT_FOUND = {"message": "Not found"}


def only_event(event_type):
    return WebhookEvent.objects.get(event_type=event_type)


# --- deletions are confirmed with Help Scout --------------------------------------------


def test_conversation_body_replayed_as_deleted_does_not_delete(deliver, api_settings):
    body = payloads.conversation(1001)
    still_there = api_settings.get(f"{API}/conversations/1001").respond(200, json=body)
    deliver("convo.created", body)
    assert deliver("convo.deleted", body).status_code == 200
    assert still_there.called
    assert not Conversation.objects.get(pk=1001).is_deleted
    event = only_event("convo.deleted")
    assert event.status == "failed"
    assert "Help Scout still has conversation 1001" in event.error


def test_bare_id_replayed_as_deleted_does_not_delete(deliver, api_settings):
    """A `{"id"}` body from a real deletion, replayed for a conversation that exists."""
    api_settings.get(f"{API}/conversations/1001").respond(200, json=payloads.conversation(1001))
    deliver("convo.created", payloads.conversation(1001))
    deliver("convo.deleted", {"id": 1001})
    assert not Conversation.objects.get(pk=1001).is_deleted


def test_customer_updated_replayed_as_deleted_does_not_delete(deliver, api_settings):
    body = payloads.customer(4321)
    api_settings.get(f"{API}/customers/4321").respond(200, json=body)
    deliver("customer.updated", body)
    deliver("customer.deleted", body)
    assert not Customer.objects.get(pk=4321).is_deleted
    assert only_event("customer.deleted").status == "failed"


def test_tag_created_replayed_as_deleted_does_not_delete(deliver, api_settings):
    body = payloads.tag(11)
    api_settings.get(f"{API}/tags/11").respond(200, json=body)
    deliver("tag.created", body)
    deliver("tag.deleted", body)
    assert Tag.objects.filter(pk=11).exists()
    assert only_event("tag.deleted").status == "failed"


@pytest.mark.parametrize(
    ("answer", "json"),
    [
        (404, NOT_FOUND),
        (301, None),  # merged into another conversation
        (200, {**payloads.conversation(1001), "state": "deleted"}),  # in Help Scout's trash
    ],
)
def test_conversation_deletion_confirmed_by_help_scout_is_applied(
    deliver, api_settings, answer, json
):
    headers = {"Location": f"{API}/conversations/1002"} if answer == 301 else {}
    api_settings.get(f"{API}/conversations/1001").respond(answer, json=json, headers=headers)
    deliver("convo.created", payloads.conversation(1001))
    deliver("convo.deleted", {"id": 1001})
    assert Conversation.objects.get(pk=1001).is_deleted
    assert only_event("convo.deleted").status == "processed"


def test_deletion_with_the_objects_own_body_is_applied_once_confirmed(deliver, api_settings):
    api_settings.get(f"{API}/customers/4321").respond(404, json=NOT_FOUND)
    deliver("customer.created", payloads.customer(4321))
    deliver("customer.deleted", payloads.customer(4321, minutes=1))
    assert Customer.objects.get(pk=4321).is_deleted


@pytest.mark.parametrize(
    "failure",
    [httpx.ConnectError("refused"), httpx.Response(503, json={"message": "down"})],
    ids=["unreachable", "503"],
)
def test_help_scout_unreachable_retries_and_never_deletes_blind(
    deliver, api_settings, monkeypatch, failure
):
    original = HelpScoutClient.from_settings
    monkeypatch.setattr(  # the client's own retries must not sleep in a test
        HelpScoutClient,
        "from_settings",
        classmethod(lambda cls, **kw: original(**{"sleep": lambda seconds: None, **kw})),
    )
    route = api_settings.get(f"{API}/conversations/1001")
    if isinstance(failure, Exception):
        route.mock(side_effect=failure)
    else:
        route.mock(return_value=failure)
    deliver("convo.created", payloads.conversation(1001))
    deliver("convo.deleted", {"id": 1001})
    event = only_event("convo.deleted")
    assert (event.status, event.attempts) == ("failed", 1)
    assert event.attempts < MAX_ATTEMPTS, "a passing failure: retried"
    assert not Conversation.objects.get(pk=1001).is_deleted

    route.mock(side_effect=None, return_value=httpx.Response(404, json=NOT_FOUND))
    assert process_event(event.pk) == "processed"  # the retry, once Help Scout answers
    assert Conversation.objects.get(pk=1001).is_deleted


def test_without_api_credentials_a_deletion_waits(deliver):
    deliver("convo.created", payloads.conversation(1001))
    deliver("convo.deleted", {"id": 1001})
    event = only_event("convo.deleted")
    assert event.status == "failed"
    assert "not configured" in event.error
    assert not Conversation.objects.get(pk=1001).is_deleted


def test_help_scout_is_asked_before_the_events_transaction(deliver, api_settings):
    """The get must not run while the event's row is locked (a slow Help Scout would
    hold the lock, and other workers, for its whole timeout)."""
    baseline = len(connection.savepoint_ids)
    depths = []

    def answer(request):
        depths.append(len(connection.savepoint_ids))
        return httpx.Response(404, json=NOT_FOUND)

    api_settings.get(f"{API}/conversations/1001").mock(side_effect=answer)
    deliver("convo.deleted", {"id": 1001})
    assert depths == [baseline]
    assert only_event("convo.deleted").status == "processed"


def test_a_deletion_body_of_another_kind_fails_for_good_without_asking(deliver, api_settings):
    route = api_settings.get(f"{API}/customers/1001")
    deliver("customer.deleted", payloads.conversation(1001))
    event = only_event("customer.deleted")
    assert (event.status, event.attempts) == ("failed", 1)
    assert "conversation" in event.error and "not signed" in event.error
    assert not route.called


# --- a body must be the kind of object its event family carries -------------------------


@pytest.mark.parametrize(
    ("event_type", "body", "wanted"),
    [
        ("customer.updated", payloads.conversation(1001), "customer"),
        ("customer.created", payloads.tag(11), "customer"),
        ("tag.created", payloads.customer(4321), "tag"),
        ("tag.updated", payloads.conversation(1001), "tag"),
        ("convo.created", payloads.customer(4321), "conversation"),
        ("convo.status", payloads.tag(11), "conversation"),
        ("convo.merged", payloads.rating(), "conversation"),
        ("satisfaction.ratings", payloads.conversation(1001), "rating"),
        ("customer.updated", {"id": 4321}, "customer"),
    ],
)
def test_body_of_another_kind_fails_for_good_and_writes_nothing(deliver, event_type, body, wanted):
    assert deliver(event_type, body).status_code == 200
    event = WebhookEvent.objects.get()
    assert (event.status, event.attempts) == ("failed", 1)
    assert f"Help Scout {wanted}" in event.error
    assert not Customer.objects.exists()
    assert not Tag.objects.exists()
    assert not Conversation.objects.filter(is_placeholder=False).exists()


def test_conversation_body_as_customer_updated_creates_no_customer(deliver):
    deliver("customer.updated", payloads.conversation(1001))
    assert not Customer.objects.exists()
    assert "PayloadError" in WebhookEvent.objects.get().error


@pytest.mark.parametrize("event_type", ["customer.updated", "tag.updated"])
def test_notification_only_customer_or_tag_writes_nothing(deliver, event_type):
    """`notification: true` webhooks send {"id", "url"}: no empty row is made of it."""
    body = {"id": 4321, "url": "https://api.helpscout.net/v2/customers/4321"}
    deliver(event_type, body)
    assert WebhookEvent.objects.get().status == "ignored"
    assert not Customer.objects.exists() and not Tag.objects.exists()


def test_an_odd_answer_from_help_scout_confirms_nothing(deliver, api_settings):
    api_settings.get(f"{API}/conversations/1001").respond(200, json={"unexpected": True})
    deliver("convo.created", payloads.conversation(1001))
    deliver("convo.deleted", {"id": 1001})
    event = only_event("convo.deleted")
    assert event.status == "failed" and "still has conversation 1001" in event.error
    assert not Conversation.objects.get(pk=1001).is_deleted
