"""A Help Scout client nobody here wrote (python-helpscout-v2 from PyPI, built on
`requests` against Help Scout's own pages) runs against the sandbox: the sandbox meets
expectations that are not ours. List paging (it follows `_links.next` and reads
`_embedded`), a get with threads, creates, an OR search, customer sub-resources, and the
demo seed's teams with one team's members."""

from urllib.parse import quote

import pytest
from helpscout import HelpScout

from helpscout_integration.sandbox import Sandbox


@pytest.fixture(scope="module")
def sandbox():
    with Sandbox(seed="demo", rate_limit_per_minute=None) as sb:
        yield sb


@pytest.fixture
def foreign(sandbox):
    return HelpScout(
        app_id="their-app",
        app_secret="their-secret",
        base_url=sandbox.api_base_url + "/",
        sleep_on_rate_limit_exceeded=False,
    )


def test_list_paging_through_every_page(foreign, sandbox):
    customers = foreign.customers.get()
    assert len(customers) == len(sandbox.store.customers) == 200
    assert len({c.id for c in customers}) == 200
    pages = [p for m, p, s in sandbox.request_log if p == "/v2/customers" and s == 200]
    assert len(pages) >= 4  # it went past page 1 by the sandbox's `next` links


def test_get_a_conversation_with_its_threads(foreign, sandbox):
    conversation_id = min(sandbox.store.conversations)
    conversation = foreign.conversations.get(resource_id=conversation_id, params="embed=threads")
    held = sandbox.get_conversation(conversation_id)
    assert conversation.id == conversation_id and conversation.subject == held["subject"]
    threads = conversation._embedded["threads"]
    assert [t["id"] for t in threads] == [t["id"] for t in held["_embedded"]["threads"]]


def test_create_a_customer_and_a_conversation(foreign, sandbox):
    foreign.customers.post(
        data={"firstName": "Foreign", "emails": [{"type": "work", "value": "f@x.example"}]}
    )
    created = sandbox.store.customer_by_email("f@x.example")
    assert created is not None and created.first_name == "Foreign"
    mailbox_id = min(sandbox.store.mailboxes)
    before = len(sandbox.store.conversations)
    foreign.conversations.post(
        data={
            "subject": "From a foreign client",
            "type": "email",
            "status": "active",
            "mailboxId": mailbox_id,
            "customer": {"email": "f@x.example"},
            "threads": [{"type": "customer", "customer": {"email": "f@x.example"}, "text": "Hi"}],
        }
    )
    assert len(sandbox.store.conversations) == before + 1
    newest = max(sandbox.store.conversations)
    assert sandbox.get_conversation(newest)["subject"] == "From a foreign client"


def test_an_or_search(foreign, sandbox):
    made = sandbox.create_conversation(subject="Foreign pelican kettle")
    # python-helpscout-v2 joins params without URL-encoding them (docs/sandbox.md), so the
    # query goes in already encoded, as its users must send it.
    query = quote('(subject:"pelican kettle" OR subject:"no such words anywhere")')
    found = foreign.conversations.get(params=f"status=all&query={query}")
    assert [c.id for c in found] == [made["id"]]


def test_customer_sub_resources(foreign, sandbox):
    customer = sandbox.create_customer("sub@foreign.example", first_name="Sub")
    foreign.customers[customer["id"]].phones.post(data={"value": "+1 555 0102", "type": "work"})
    foreign.customers[customer["id"]].address.post(data={"city": "Lyon", "country": "FR"})
    # The list has no `page` (Help Scout's CustomerPayloads::getPhones), so the library
    # yields the whole body as one object rather than its entries.
    (listed,) = foreign.customers[customer["id"]].phones.get()
    assert [p["value"] for p in listed._embedded["phones"]] == ["+1 555 0102"]
    held = sandbox.store.customers[customer["id"]]
    assert held.phones[0][1] == "+1 555 0102" and held.address["city"] == "Lyon"


def test_teams_and_a_team_s_members(foreign, sandbox):
    # The library has no teams methods; its generic endpoint attributes reach them.
    teams = foreign.teams.get()
    assert [(t.name, t.mention) for t in teams] == [
        ("Billing team", "billing-team"),  # the demo seed's teams (seed_organizations.TEAMS)
        ("Tier 2", "tier-2"),
    ]
    assert [t.id for t in teams] == sorted(sandbox.store.teams)
    # It looks for the entries under `_embedded.members`, but Help Scout puts them under
    # `_embedded.users` (reference helpscout-api-2026.md section 2), so the page comes
    # back as one object holding `users` (docs/sandbox.md).
    (listed,) = foreign.teams[teams[1].id].members.get()
    users = {u.email: u.id for u in sandbox.store.users.values()}
    assert [(u["id"], u["firstName"], u["email"]) for u in listed.users] == [
        (users["chloe@example.com"], "Chloe", "chloe@example.com"),
        (users["dev@example.com"], "Dev", "dev@example.com"),
        (users["emma@example.com"], "Emma", "emma@example.com"),
    ]
