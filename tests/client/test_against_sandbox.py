"""The client against the sandbox over real HTTP: what respx cannot show (real paging,
real token expiry, a real shared rate limit, injected failures)."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from helpscout_integration.client import HelpScoutClient
from helpscout_integration.exceptions import NetworkError, ValidationError
from helpscout_integration.sandbox import Sandbox


@pytest.fixture(scope="module")
def demo():
    """Read-only tests share one demo sandbox."""
    with Sandbox(seed="demo", rate_limit_per_minute=None) as sandbox:
        yield sandbox


@pytest.fixture
def make_client():
    clients = []

    def make(sandbox: Sandbox, **overrides) -> HelpScoutClient:
        settings = sandbox.helpscout_settings()
        kwargs = {
            "app_id": settings["APP_ID"],
            "app_secret": settings["APP_SECRET"],
            "api_base_url": sandbox.api_base_url,
            "token_url": sandbox.token_url,
            "docs_api_key": settings["DOCS_API_KEY"],
            "docs_base_url": sandbox.docs_base_url,
            "sleep": lambda seconds: None,  # retry backoff: the sandbox needs no pause
            **overrides,
        }
        client = HelpScoutClient(**kwargs)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


def _statuses(sandbox: Sandbox, path: str) -> list[int]:
    return [status for _method, p, status in sandbox.request_log if p == path]


def test_paging_through_the_2000_demo_conversations(demo, make_client):
    client = make_client(demo)
    pages = list(client.conversations.pages(status="all", embed="threads"))
    assert [p.number for p in pages] == list(range(1, 81))
    assert {p.total_pages for p in pages} == {80} and pages[0].total_elements == 2000
    ids = [c["id"] for page in pages for c in page.items]
    assert len(ids) == len(set(ids)) == 2000
    assert all(len(c["_embedded"]["threads"]) == c["threads"] for c in pages[-1].items)
    assert ids == [c["id"] for c in client.conversations.list(status="all")]


def test_resuming_from_a_page(demo, make_client):
    client = make_client(demo)
    resumed = next(iter(client.conversations.pages(status="all", start_page=80)))
    assert resumed.number == 80 and len(resumed.items) == 25


def test_create_then_read_back_by_the_id_from_the_location_header(make_client):
    with Sandbox(seed="demo", rate_limit_per_minute=None) as sandbox:
        client = make_client(sandbox)
        mailbox = next(iter(client.mailboxes.list()))["id"]
        new_id = client.conversations.create(
            {
                "subject": "Created by the client",
                "type": "email",
                "mailboxId": mailbox,
                "status": "active",
                "customer": {"email": "client@example.com"},
                "threads": [{"type": "customer", "text": "Hello from the client"}],
                "tags": ["from-client"],
            }
        )
        assert ("POST", "/v2/conversations", 201) in sandbox.request_log
        read_back = client.conversations.get(new_id)
        assert read_back["subject"] == "Created by the client"
        assert read_back["_embedded"]["threads"][0]["body"] == "Hello from the client"
        assert urlsplit(read_back["_links"]["self"]["href"]).path == f"/v2/conversations/{new_id}"
        reply_id = client.conversations.reply(new_id, {"text": "Answer", "status": "closed"})
        assert reply_id in [t["id"] for t in client.threads.list(new_id)]
        assert client.conversations.get(new_id)["status"] == "closed"
        with pytest.raises(ValidationError) as caught:
            client.conversations.create({"subject": "incomplete"})
        assert caught.value.status_code == 400 and caught.value.log_ref
        assert {"type", "mailboxId", "customer", "threads"} <= {e.path for e in caught.value.errors}


def test_token_expiry_mid_run_is_recovered(make_client):
    with Sandbox(seed="demo", rate_limit_per_minute=None) as sandbox:
        client = make_client(sandbox)
        ids = []
        for page in client.conversations.pages(status="all"):
            ids.extend(c["id"] for c in page.items)
            if page.number == 3:
                sandbox.faults.expire_tokens()
        assert len(set(ids)) == 2000
        assert 401 in _statuses(sandbox, "/v2/conversations")
        assert _statuses(sandbox, "/v2/oauth2/token") == [200, 200]


def test_short_lived_tokens_are_renewed_before_they_expire(make_client):
    # 60 Help Scout seconds at a time scale of 60: the token lasts one sandbox second.
    with Sandbox(
        token_ttl=60, time_scale=60, rate_limit_per_minute=None, manual_clock=True
    ) as sandbox:
        sandbox.create_mailbox("Support")
        client = make_client(sandbox, **sandbox.client_options())
        for _ in range(3):
            assert len(list(client.mailboxes.list())) == 1
            sandbox.clock.advance(0.6)
        assert len(_statuses(sandbox, "/v2/oauth2/token")) >= 2
        assert 401 not in _statuses(sandbox, "/v2/mailboxes")


def test_a_429_burst_from_two_apps_sharing_the_account_is_absorbed(make_client):
    # A budget of 20 per Help Scout minute: two apps (separate client-side budgets of 20
    # each) take turns and together spend twice the account's budget, so Help Scout
    # refuses some; both absorb the 429s. On the sandbox's manual clock every wait moves
    # its time: the same requests get the same answers on any machine.
    with Sandbox(rate_limit_per_minute=20, manual_clock=True) as sandbox:
        sandbox.create_mailbox("Support")
        start = sandbox.clock.now()
        clients = [
            make_client(sandbox, app_id=f"app-{n}", **sandbox.client_options()) for n in range(2)
        ]
        for _ in range(40):
            for client in clients:
                assert len(list(client.mailboxes.list())) == 1
        statuses = _statuses(sandbox, "/v2/mailboxes")
        assert statuses.count(200) == 80
        assert 429 in statuses
        assert sum(c.stats.rate_limit_waits for c in clients) >= 1
        # Four sandbox minutes at least: 80 requests at 20 a minute.
        assert sandbox.clock.now() - start >= 180


def test_writes_paced_by_the_client_never_meet_the_sandboxs_burst_limit(make_client):
    with Sandbox(rate_limit_per_minute=None, manual_clock=True) as sandbox:
        client = make_client(sandbox, **sandbox.client_options())
        for n in range(40):
            client.customers.create({"firstName": f"C{n}"})
        assert set(_statuses(sandbox, "/v2/customers")) == {201}
        assert client.stats.rate_limit_waits >= 3  # 40 writes: three waits of a window


def test_without_pacing_the_sandbox_refuses_the_13th_write_and_the_client_retries(make_client):
    with Sandbox(rate_limit_per_minute=None, manual_clock=True) as sandbox:
        client = make_client(sandbox, write_burst_limit=None, **sandbox.client_options())
        for n in range(13):
            client.customers.create({"firstName": f"C{n}"})
        assert _statuses(sandbox, "/v2/customers") == [201] * 12 + [429, 201]
        assert len(sandbox.store.customers) == 13


def test_injected_5xx_is_retried(demo, make_client):
    client = make_client(demo)
    demo.faults.fail_next(2, status=503, path="/v2/users")
    assert len(list(client.users.list())) == 5
    assert client.stats.retries >= 2
    assert _statuses(demo, "/v2/users")[-3:] == [503, 503, 200]


def test_dropped_connection_and_timeout_on_a_get_are_retried(demo, make_client):
    client = make_client(demo, timeout=0.3)
    demo.faults.drop_next(1, path="/v2/tags")
    assert len(list(client.tags.list())) >= 10
    demo.faults.slow_next(1, seconds=0.6, path="/v2/tags")
    assert len(list(client.tags.list())) >= 10
    assert client.stats.retries >= 2


def test_a_lost_answer_to_a_post_is_not_repeated(make_client):
    with Sandbox(rate_limit_per_minute=None) as sandbox:
        client = make_client(sandbox)
        sandbox.faults.drop_next(1, path="/v2/customers", after_handling=True)
        with pytest.raises(NetworkError) as caught:
            client.customers.create(
                {"firstName": "Once", "emails": [{"value": "once@example.com"}]}
            )
        assert caught.value.may_have_been_applied
        assert len(sandbox.store.customers) == 1  # applied once, never sent again


def test_docs_api(demo, make_client):
    client = make_client(demo)
    collections = list(client.docs.collections())
    assert len(collections) == 2
    articles = list(client.docs.articles(collection_id=collections[0]["id"]))
    assert articles and all(a["collectionId"] == collections[0]["id"] for a in articles)
    found = list(client.docs.search("password"))
    assert found and client.docs.article(found[0]["id"])["name"] == found[0]["name"]
