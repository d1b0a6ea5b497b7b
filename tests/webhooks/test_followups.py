"""What a payload lacks is fetched after the event, and that fetch can fail harmlessly."""

from __future__ import annotations

import httpx
import pytest
import respx

from helpscout_integration.models import Conversation, Thread, WebhookEvent

from . import payloads
from .conftest import API

pytestmark = pytest.mark.django_db


def without_threads(body: dict) -> dict:
    body = dict(body)
    body["_embedded"] = {}
    return body


def test_conversation_without_threads_is_completed_by_a_fetch(deliver, api_settings):
    full = payloads.conversation(
        1001, minutes=1, threads=[payloads.thread(10011), payloads.thread(10012, minutes=1)]
    )
    route = api_settings.get(f"{API}/conversations/1001").respond(200, json=full)
    assert deliver("convo.status", without_threads(full)).status_code == 200
    assert route.called
    assert route.calls.last.request.url.params["embed"] == "threads"
    assert sorted(Thread.objects.values_list("id", flat=True)) == [10011, 10012]
    assert WebhookEvent.objects.get().status == "processed"


def test_fetch_failure_keeps_the_events_own_data(deliver, api_settings):
    api_settings.get(f"{API}/conversations/1001").mock(
        return_value=httpx.Response(401, json={"message": "Not authorized"})
    )
    body = without_threads(payloads.conversation(1001, status="pending"))
    assert deliver("convo.status", body).status_code == 200
    conversation = Conversation.objects.get(pk=1001)
    assert (conversation.status, conversation.is_placeholder) == ("pending", False)
    assert WebhookEvent.objects.get().status == "processed"


def test_fetch_answering_404_marks_the_conversation_deleted(deliver, api_settings):
    api_settings.get(f"{API}/conversations/1001").respond(404, json={"message": "Not found"})
    deliver("convo.status", without_threads(payloads.conversation(1001)))
    assert Conversation.objects.get(pk=1001).is_deleted


def test_rating_for_an_unknown_conversation_fetches_it(deliver, api_settings):
    full = payloads.conversation(1001)
    route = api_settings.get(f"{API}/conversations/1001").respond(200, json=full)
    deliver("satisfaction.ratings", payloads.rating(5434, conversation_id=1001))
    assert route.called
    assert Conversation.objects.get(pk=1001).subject == "I need help!"


def test_payload_with_threads_needs_no_fetch(deliver, api_settings):
    route = api_settings.get(f"{API}/conversations/1001").respond(200, json={})
    deliver("convo.created", payloads.conversation(1001))
    assert not route.called


def test_no_fetch_without_api_credentials(deliver):
    with respx.mock(assert_all_mocked=True) as router:
        deliver("convo.status", without_threads(payloads.conversation(1001)))
        assert not router.calls
    assert Conversation.objects.filter(pk=1001, is_placeholder=False).exists()


def test_notification_only_body_fetches_the_conversation(deliver, api_settings):
    full = payloads.conversation(1001, status="closed")
    route = api_settings.get(f"{API}/conversations/1001").respond(200, json=full)
    body = {"id": 1001, "url": f"{API}/conversations/1001"}
    assert deliver("convo.status", body).status_code == 200
    assert route.called
    assert Conversation.objects.get(pk=1001).status == "closed"
    assert Thread.objects.filter(conversation_id=1001).count() == 1
