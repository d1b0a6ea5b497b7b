"""(c) The list envelope the sandbox serves is Help Scout's: `_embedded.<key>`, `page`,
`_links`, and on a page with no items no `_embedded` key at all (fixtures/wire.py names
the SDK fixtures and pages). A client written against the sandbox that reads
`body["_embedded"][key]` unguarded would break on Help Scout's first empty list; these
tests keep the sandbox from hiding that."""

import httpx
import pytest

from helpscout_integration.sandbox import Sandbox

from .fixtures import wire
from .shape import differences


@pytest.fixture(scope="module")
def sb():
    with Sandbox(rate_limit_per_minute=None, write_burst=None) as sandbox:
        yield sandbox


@pytest.fixture(scope="module")
def account(sb):
    """One mailbox, user, tag, customer and conversation (so every list has a page 1)."""
    mailbox = sb.create_mailbox("Support")
    user = sb.create_user("Ana", "Agent", "ana@example.com")
    made = sb.create_conversation(
        mailbox_id=mailbox["id"], customer_email="bear@acme.example", subject="Order",
        tags=["shipping"], assignee_id=user["id"],
    )  # fmt: skip
    sb.register_webhook("http://127.0.0.1:9/hook", "secret")
    return made["id"]


def list_paths(conversation_id):
    return [
        ("/conversations", "conversations", wire.CONVERSATION_PAGE_SIZE),
        ("/customers", "customers", wire.PAGE_SIZE),
        ("/mailboxes", "mailboxes", wire.PAGE_SIZE),
        ("/users", "users", wire.PAGE_SIZE),
        ("/tags", "tags", wire.PAGE_SIZE),
        ("/webhooks", "webhooks", wire.PAGE_SIZE),
        (f"/conversations/{conversation_id}/threads", "threads", wire.PAGE_SIZE),
    ]


def test_a_list_page_is_embedded_items_page_and_links(api, account):
    for path, key, size in list_paths(account):
        body = api.get(path).json()
        assert set(body) == set(wire.LIST_PAGE), path
        assert list(body["_embedded"]) == [key], path
        expected_page = {**wire.LIST_PAGE["page"], "size": size}
        assert differences(expected_page, body["page"], path) == []
        assert body["page"]["size"] == size and body["page"]["number"] == 1, path
        assert {"self", "first", "last", "page"} <= set(body["_links"]), path
        assert body["_links"]["page"]["templated"] is True, path
        assert "{page}" in body["_links"]["page"]["href"], path


def test_an_empty_page_leaves_embedded_out(api, account):
    """Page 2 of every list (one item each), and a filter nothing matches."""
    empty = [(path, {"page": 2}) for path, _key, _size in list_paths(account)]
    empty += [
        ("/conversations", {"status": "spam"}),
        ("/customers", {"query": '(email:"nobody@nowhere.example")'}),
    ]
    for path, params in empty:
        body = api.get(path, params=params).json()
        assert set(body) == set(wire.EMPTY_LIST_PAGE), (path, params)  # no `_embedded`
        assert differences(wire.EMPTY_LIST_PAGE["page"], body["page"]) == [], (path, params)
        assert {"self", "first", "last", "page"} <= set(body["_links"]), (path, params)


def test_an_empty_account_lists_nothing_without_embedded():
    with Sandbox(rate_limit_per_minute=None, write_burst=None) as sandbox:
        token = httpx.post(
            sandbox.token_url,
            data={"grant_type": "client_credentials", "client_id": "a", "client_secret": "s"},
        ).json()["access_token"]
        body = httpx.get(
            f"{sandbox.api_base_url}/conversations", headers={"Authorization": f"Bearer {token}"}
        ).json()
    assert "_embedded" not in body
    assert body["page"]["totalElements"] == 0 and body["page"]["totalPages"] == 0
