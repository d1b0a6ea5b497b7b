"""The exact requests the admin's actions send, checked against Help Scout's documented
wire format (respx stands in for Help Scout; the sandbox tests cover the round trip)."""

from __future__ import annotations

import json

import httpx
import pytest
import respx
from django.test import Client
from django.urls import reverse

from helpscout_integration.models import Conversation, Thread

pytestmark = pytest.mark.django_db

API = "https://api.helpscout.test/v2"
CID = 4242


def payload(**changes):
    """Conversation CID as Help Scout answers GET /conversations/{id}?embed=threads."""
    body = {
        "id": CID, "number": 77, "type": "email", "status": "active", "state": "published",
        "subject": "Refund please", "mailboxId": 1, "createdAt": "2026-03-01T09:00:00Z",
        "userUpdatedAt": "2026-03-01T09:00:00Z",
        "primaryCustomer": {"id": 55, "first": "Cleo", "last": "Customer",
                            "email": "cleo@example.com"},
        "assignee": None, "tags": [{"id": 3, "tag": "billing", "color": "#f00"}],
        "_embedded": {"threads": [{
            "id": 1, "type": "customer", "status": "active", "state": "published",
            "body": "<p>charged twice</p>", "customer": {"id": 55},
            "createdBy": {"id": 55, "type": "customer"}, "createdAt": "2026-03-01T09:00:00Z",
        }]},
    }  # fmt: skip
    body.update(changes)
    return body


@pytest.fixture
def wire(settings, mirror):
    settings.HELPSCOUT = {"APP_ID": "id", "APP_SECRET": "secret", "API_BASE_URL": API}
    mirror.conversation(id=CID, number=77, status="active", assignee=None)
    with respx.mock(assert_all_mocked=True, assert_all_called=False) as router:
        router.post(f"{API}/oauth2/token").respond(
            200, json={"access_token": "t", "token_type": "bearer", "expires_in": 172800}
        )
        yield router


@pytest.fixture
def ada(staff_user):
    client = Client()
    client.force_login(
        staff_user(
            "view_conversation", "reply_conversation", "note_conversation",
            "change_status_conversation", "assign_conversation", "tag_conversation",
            email="ada@example.com",
        )
    )  # fmt: skip
    return client


def url(name):
    return reverse(f"admin:helpscout_integration_conversation_{name}", args=[CID])


def sent(route):
    return json.loads(route.calls.last.request.content)


def test_reply_sends_text_customer_and_the_matching_agent(wire, ada):
    route = wire.post(f"{API}/conversations/{CID}/reply").respond(201, headers={"Resource-ID": "9"})
    reply = {"id": 9, "type": "message", "body": "Refunded.", "createdAt": "2026-03-01T10:00:00Z",
             "createdBy": {"id": 7, "type": "user", "email": "ada@example.com"}}  # fmt: skip
    threads = payload()["_embedded"]["threads"] + [reply]
    wire.get(f"{API}/conversations/{CID}").respond(
        200, json=payload(status="closed", userUpdatedAt="2026-03-01T10:00:00Z",
                          _embedded={"threads": threads})
    )  # fmt: skip
    response = ada.post(
        url("reply"), {"reply-text": "Refunded.", "reply-status": "closed", "confirmed": "yes"}
    )
    assert response.status_code == 302
    assert sent(route) == {"text": "Refunded.", "customer": {"id": 55}, "user": 7,
                           "status": "closed"}  # fmt: skip
    assert Conversation.objects.get(pk=CID).status == "closed"
    assert Thread.objects.get(pk=9).body == "Refunded."


def test_status_assign_unassign_and_tags_use_documented_operations(wire, ada):
    patch = wire.patch(f"{API}/conversations/{CID}").respond(204)
    tags = wire.put(f"{API}/conversations/{CID}/tags").respond(204)
    wire.get(f"{API}/conversations/{CID}").respond(200, json=payload())

    ada.post(url("status"), {"status-status": "pending"})
    assert sent(patch) == {"op": "replace", "path": "/status", "value": "pending"}
    ada.post(url("assign"), {"assign-assignee": "7"})
    assert sent(patch) == {"op": "replace", "path": "/assignTo", "value": 7}
    ada.post(url("assign"), {"assign-assignee": ""})
    assert sent(patch) == {"op": "remove", "path": "/assignTo"}
    ada.post(url("tags"), {"tags-add": "vip, Billing", "tags-remove": []})
    assert sent(tags) == {"tags": ["billing", "vip"]}  # "Billing" is already there


def test_refresh_failure_after_an_accepted_change_says_so(wire, ada):
    wire.post(f"{API}/conversations/{CID}/notes").respond(201, headers={"Resource-ID": "10"})
    wire.get(f"{API}/conversations/{CID}").mock(side_effect=httpx.ConnectError("down"))
    response = ada.post(url("note"), {"note-text": "Checked."}, follow=True)
    page = response.content.decode()
    assert "Note added." in page and "catch up on the next sync" in page
