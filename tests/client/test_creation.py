"""Creates return the new id from the 201's headers and never read its (empty) body;
updates answer 204."""

from __future__ import annotations

import json

import httpx
import pytest

from helpscout_integration.exceptions import APIError

from .conftest import API


def test_create_returns_the_id_from_resource_id(client, api):
    route = api.post(f"{API}/conversations").respond(
        201, headers={"Resource-ID": "123", "Location": f"{API}/conversations/999"}
    )
    body = {"subject": "Hi", "mailboxId": 1, "customer": {"email": "a@b.c"}, "threads": []}

    assert client.conversations.create(body) == 123
    assert json.loads(route.calls[0].request.content) == body


def test_create_falls_back_to_the_last_segment_of_location(client, api):
    api.post(f"{API}/webhooks").respond(201, headers={"Location": f"{API}/webhooks/456"})

    assert client.webhooks.create({"url": "https://x.test/hook", "secret": "s"}) == 456


def test_create_never_parses_the_body(client, api):
    # An empty 201 (or garbage) must not matter: the id is in the headers.
    api.post(f"{API}/customers").respond(
        201, headers={"Resource-ID": "9", "Content-Type": "application/json"}, content=b""
    )
    assert client.customers.create({"firstName": "Ada"}) == 9


def test_create_without_any_id_header_is_an_error(client, api):
    api.post(f"{API}/customers").respond(201)

    with pytest.raises(APIError, match="neither Resource-ID nor Location"):
        client.customers.create({"firstName": "Ada"})


@pytest.mark.parametrize(
    ("method_name", "path"),
    [("reply", "reply"), ("note", "notes"), ("customer_thread", "customer")],
)
def test_thread_creation_returns_the_thread_id_or_none(client, api, method_name, path):
    route = api.post(f"{API}/conversations/5/{path}")
    route.side_effect = [httpx.Response(201, headers={"Resource-ID": "77"}), httpx.Response(201)]
    create = getattr(client.conversations, method_name)

    assert create(5, {"text": "Hello"}) == 77
    assert create(5, {"text": "Hello"}) is None


def test_update_sends_one_patch_operation_and_reads_no_body(client, api):
    route = api.patch(f"{API}/conversations/5").respond(204)

    client.conversations.update(5, "replace", "/status", "closed")
    client.conversations.update(5, "remove", "/assignTo")

    assert [json.loads(c.request.content) for c in route.calls] == [
        {"op": "replace", "path": "/status", "value": "closed"},
        {"op": "remove", "path": "/assignTo"},
    ]


def test_customer_update_is_a_put_of_the_whole_profile(client, api):
    route = api.put(f"{API}/customers/8").respond(204)

    assert client.customers.update(8, {"firstName": "Ada", "lastName": "L"}) is None
    assert json.loads(route.calls[0].request.content) == {"firstName": "Ada", "lastName": "L"}
