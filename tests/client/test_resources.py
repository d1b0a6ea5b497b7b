"""Each resource method speaks the right Help Scout endpoint with the caller's parameters."""

from __future__ import annotations

import base64
import json

import httpx
import pytest

from helpscout_integration.client import HelpScoutClient
from helpscout_integration.client.resources.customers import email_query

from .conftest import API, APP_ID, APP_SECRET, DOCS, DOCS_KEY, hal


def test_mailboxes_and_folders(client, api):
    api.get(f"{API}/mailboxes").respond(200, json=hal("mailboxes", [{"id": 1}]))
    api.get(f"{API}/mailboxes/1").respond(200, json={"id": 1, "name": "Support"})
    api.get(f"{API}/mailboxes/1/folders").respond(200, json=hal("folders", [{"id": 9}]))
    api.get(f"{API}/mailboxes/1/fields").respond(200, json=hal("fields", [{"id": 3}]))

    assert list(client.mailboxes.list()) == [{"id": 1}]
    assert client.mailboxes.get(1)["name"] == "Support"
    assert list(client.mailboxes.folders(1)) == [{"id": 9}]
    assert list(client.mailboxes.fields(1)) == [{"id": 3}]


def test_conversation_get_embeds_threads_by_default(client, api):
    route = api.get(f"{API}/conversations/5").respond(200, json={"id": 5})

    client.conversations.get(5)
    client.conversations.get(5, embed=None)

    assert route.calls[0].request.url.params["embed"] == "threads"
    assert "embed" not in route.calls[1].request.url.params


def test_conversation_tags_fields_delete_and_threads(client, api):
    tags = api.put(f"{API}/conversations/5/tags").respond(204)
    fields = api.put(f"{API}/conversations/5/fields").respond(204)
    delete = api.delete(f"{API}/conversations/5").respond(204)
    api.get(f"{API}/conversations/5/threads").respond(200, json=hal("threads", [{"id": 1}]))

    client.conversations.set_tags(5, ("vip", "refund"))
    client.conversations.set_fields(5, [{"id": 1, "value": "x"}])
    client.conversations.delete(5)

    assert json.loads(tags.calls[0].request.content) == {"tags": ["vip", "refund"]}
    assert json.loads(fields.calls[0].request.content) == {"fields": [{"id": 1, "value": "x"}]}
    assert delete.call_count == 1
    assert list(client.threads.list(5)) == [{"id": 1}]


def test_find_by_email_queries_help_scout_search_and_returns_first_match(client, api):
    route = api.get(f"{API}/customers").respond(
        200, json=hal("customers", [{"id": 4}, {"id": 5}], 1, 3)
    )

    assert client.customers.find_by_email("ada@example.com") == {"id": 4}

    assert route.call_count == 1  # one page is enough
    assert route.calls[0].request.url.params["query"] == '(email:"ada@example.com")'


def test_find_by_email_returns_none_when_nobody_matches(client, api):
    api.get(f"{API}/customers").respond(200, json={"page": {"totalPages": 0, "number": 1}})

    assert client.customers.find_by_email("nobody@example.com") is None


def test_email_query_escapes_quotes():
    assert email_query('a"b\\c@example.com') == '(email:"a\\"b\\\\c@example.com")'


def test_customer_properties(client, api):
    definitions = [{"slug": "plan", "type": "dropdown"}, {"slug": "mrr", "type": "number"}]
    api.get(f"{API}/customer-properties").respond(200, json=hal("customer-properties", definitions))
    patch = api.patch(f"{API}/customers/8/properties").respond(204)
    ops = [{"op": "replace", "path": "/plan", "value": "pro"}]

    assert client.customers.property_definitions() == definitions
    client.customers.set_properties(8, ops)

    assert json.loads(patch.calls[0].request.content) == ops


def test_users_tags_and_webhooks(client, api):
    api.get(f"{API}/users").respond(200, json=hal("users", [{"id": 1}]))
    api.get(f"{API}/users/1").respond(200, json={"id": 1})
    api.get(f"{API}/users/me").respond(200, json={"id": 2})
    api.get(f"{API}/tags").respond(200, json=hal("tags", [{"id": 3}]))
    api.get(f"{API}/webhooks").respond(200, json=hal("webhooks", [{"id": 4}]))
    delete = api.delete(f"{API}/webhooks/4").respond(204)

    assert list(client.users.list()) == [{"id": 1}]
    assert client.users.get(1) == {"id": 1}
    assert client.users.me() == {"id": 2}
    assert list(client.tags.list()) == [{"id": 3}]
    assert list(client.webhooks.list()) == [{"id": 4}]
    client.webhooks.delete(4)
    assert delete.call_count == 1


def test_docs_requests_use_basic_auth_with_the_key_and_no_oauth(client, api, token_route):
    route = api.get(f"{DOCS}/articles/abc").respond(200, json={"article": {"id": "abc"}})

    client.docs.article("abc")

    expected = base64.b64encode(f"{DOCS_KEY}:X".encode()).decode()
    assert route.calls[0].request.headers["Authorization"] == f"Basic {expected}"
    assert token_route.call_count == 0


def test_from_settings_reads_the_helpscout_setting(settings, api):
    base = "https://sandbox.test/v2"
    settings.HELPSCOUT = {
        "APP_ID": APP_ID,
        "APP_SECRET": APP_SECRET,
        "API_BASE_URL": base,
        "DOCS_API_KEY": DOCS_KEY,
        "DOCS_API_BASE_URL": "https://sandbox.test/docs/v1",
        "RATE_LIMIT_PER_MINUTE": 10,
    }
    token = api.post(f"{base}/oauth2/token").respond(
        200, json={"access_token": "t", "expires_in": 100}
    )
    me = api.get(f"{base}/users/me").respond(200, json={"id": 1})
    docs = api.get("https://sandbox.test/docs/v1/collections").respond(
        200, json={"collections": {"page": 1, "pages": 1, "count": 0, "items": []}}
    )

    with HelpScoutClient.from_settings(sleep=lambda s: None) as client:
        assert client.limiter.limit == 10
        client.users.me()
        list(client.docs.collections())

    assert token.call_count == me.call_count == docs.call_count == 1


def test_the_context_manager_closes_the_http_client(make_client, api):
    with make_client() as client:
        pass
    with pytest.raises(RuntimeError):
        client._http.get(f"{API}/users/me")


def test_stats_count_requests_writes_and_retries(client, api):
    api.get(f"{API}/users/me").side_effect = [httpx.Response(500), httpx.Response(200, json={})]
    api.put(f"{API}/customers/1").respond(204)

    client.users.me()
    client.customers.update(1, {"firstName": "A"})

    stats = client.stats.as_dict()
    assert stats["requests"] == 3
    assert stats["writes"] == 1
    assert stats["retries"] == 1
    assert stats["token_requests"] == 1


def test_raw_request_and_paginate_escape_hatches(client, api):
    api.get(f"{API}/workflows").respond(200, json=hal("workflows", [{"id": 1}]))
    run = api.post(f"{API}/workflows/1/run").respond(204)

    assert list(client.paginate("/workflows", "workflows")) == [{"id": 1}]
    assert (
        client.request("POST", "/workflows/1/run", json={"conversationIds": [5]}).status_code == 204
    )
    assert run.call_count == 1


def test_tag_get_and_its_404(client, api):
    from helpscout_integration.exceptions import NotFoundError

    api.get(f"{API}/tags/11").respond(200, json={"id": 11, "name": "vip", "slug": "vip"})
    api.get(f"{API}/tags/12").respond(404, json={"message": "Not found"})
    assert client.tags.get(11)["slug"] == "vip"
    with pytest.raises(NotFoundError):
        client.tags.get(12)
