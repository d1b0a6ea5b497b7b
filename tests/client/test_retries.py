"""Transient failures: repeatable requests are retried with backoff; a POST that may have
reached Help Scout is never repeated, and its error says so."""

from __future__ import annotations

import httpx
import pytest

from helpscout_integration.exceptions import NetworkError, ServerError

from .conftest import API


def test_5xx_on_get_is_retried_with_backoff_then_succeeds(client, api, clock):
    route = api.get(f"{API}/mailboxes/1")
    route.side_effect = [
        httpx.Response(500),
        httpx.Response(503),
        httpx.Response(200, json={"id": 1}),
    ]

    assert client.mailboxes.get(1) == {"id": 1}

    assert route.call_count == 3
    assert len(clock.sleeps) == 2
    assert 0.5 <= clock.sleeps[0] <= 1.0 and 1.0 <= clock.sleeps[1] <= 1.5
    assert client.stats.retries == 2


def test_5xx_on_get_gives_up_after_the_bound(make_client, api, token_route):
    client = make_client(max_retries=2)
    route = api.get(f"{API}/mailboxes/1").respond(502, text="<html>Bad gateway</html>")

    with pytest.raises(ServerError) as info:
        client.mailboxes.get(1)

    assert route.call_count == 3
    assert info.value.status_code == 502
    assert info.value.may_have_been_applied is False


def test_5xx_on_post_is_not_retried_and_may_have_been_applied(client, api, clock):
    route = api.post(f"{API}/conversations").respond(500, json={"message": "Oops", "logRef": "L1"})

    with pytest.raises(ServerError) as info:
        client.conversations.create({"subject": "Hi"})

    assert route.call_count == 1
    assert clock.sleeps == []
    assert info.value.may_have_been_applied is True
    assert "may have applied" in str(info.value)
    assert info.value.log_ref == "L1"


def test_connect_error_on_post_was_not_applied(make_client, api, token_route):
    client = make_client(max_retries=1)
    route = api.post(f"{API}/conversations").mock(side_effect=httpx.ConnectError("refused"))

    with pytest.raises(NetworkError) as info:
        client.conversations.create({"subject": "Hi"})

    assert info.value.may_have_been_applied is False
    assert "not sent" in str(info.value)
    # Nothing reached Help Scout, so repeating it was safe: one retry, then the error.
    assert route.call_count == 2


def test_read_timeout_on_post_is_not_retried_and_may_have_been_applied(client, api):
    route = api.post(f"{API}/customers").mock(side_effect=httpx.ReadTimeout("slow"))

    with pytest.raises(NetworkError) as info:
        client.customers.create({"firstName": "Ada"})

    assert route.call_count == 1
    assert info.value.may_have_been_applied is True
    assert "Timed out" in str(info.value) and "may have applied" in str(info.value)


def test_timeouts_on_get_are_retried_then_succeed(client, api):
    route = api.get(f"{API}/users")
    route.side_effect = [
        httpx.ReadTimeout("slow"),
        httpx.ConnectTimeout("slow"),
        httpx.Response(200, json={"_embedded": {"users": [{"id": 1}]}}),
    ]

    assert list(client.users.list()) == [{"id": 1}]
    assert route.call_count == 3


def test_timeouts_on_get_give_up_with_a_network_error(make_client, api, token_route):
    client = make_client(max_retries=2)
    route = api.get(f"{API}/users/me").mock(side_effect=httpx.ReadTimeout("slow"))

    with pytest.raises(NetworkError) as info:
        client.users.me()

    assert route.call_count == 3
    assert info.value.may_have_been_applied is False  # a read applies nothing


def test_the_client_timeout_reaches_httpx(make_client, api, token_route):
    route = api.get(f"{API}/users/me").respond(200, json={})

    make_client(timeout=4.5).users.me()

    assert route.calls[0].request.extensions["timeout"]["read"] == 4.5


@pytest.mark.parametrize(
    ("method", "call"),
    [
        ("PUT", lambda c: c.conversations.set_tags(1, ["vip"])),
        ("PATCH", lambda c: c.conversations.update(1, "replace", "/status", "closed")),
        ("DELETE", lambda c: c.webhooks.delete(1)),
    ],
)
def test_repeatable_writes_are_retried_on_5xx(client, api, method, call):
    path = f"{API}/webhooks/1" if method == "DELETE" else f"{API}/conversations/1"
    if method == "PUT":
        path += "/tags"
    route = api.route(method=method, url=path)
    route.side_effect = [httpx.Response(503), httpx.Response(204)]

    call(client)

    assert route.call_count == 2


def test_a_retried_delete_that_finds_nothing_succeeded(client, api):
    route = api.delete(f"{API}/conversations/3")
    route.side_effect = [httpx.ReadTimeout("slow"), httpx.Response(404, json={"message": "x"})]

    client.conversations.delete(3)  # the first attempt did delete it

    assert route.call_count == 2
