"""Sync of organizations (no webhooks: re-listed newest interaction first) and of teams
with their members, against the sandbox."""

from __future__ import annotations

import pytest

from helpscout_integration.models import Agent, Customer, Organization, SyncState, Team
from helpscout_integration.sandbox import Sandbox
from helpscout_integration.sandbox.organizations import OrganizationBook
from helpscout_integration.sync.engine import SyncEngine

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def sb():
    with Sandbox(rate_limit_per_minute=None, write_burst=None) as sandbox:
        users = [sandbox.store.add_user(f"U{n}", "X", f"u{n}@example.com").id for n in range(3)]
        from helpscout_integration.sandbox.teams import TeamBook

        TeamBook(sandbox.store).add("Billing", users[:2])
        book = OrganizationBook(sandbox.store)
        book.define({"type": "number", "slug": "seats", "name": "Seats"})
        for n in range(120):  # three list pages of 50
            book.create({"name": f"Org {n:03d}", "domains": [f"org{n}.test"]})
        yield sandbox


def _listing_requests(sb):
    return [p for m, p, s in sb.request_log if p.endswith("/organizations")]


def _detail_requests(sb):
    return [p for m, p, s in sb.request_log if "/organizations/" in p and "/properties" not in p]


def test_first_run_mirrors_every_organization_with_counts_and_properties(sb, make_client):
    book = OrganizationBook(sb.store)
    first = min(book.items)
    book.set_value(first, "seats", "12")
    customer = sb.store.add_customer("Ada", "L", ["ada@org.test"])
    book.link_customer(customer, first)

    report = SyncEngine(make_client(sb)).run(["organizations", "customers"])

    rr = report.resources["organizations"]
    assert (rr.mode, rr.result.created, rr.pages) == ("full", 120, 3)
    org = Organization.objects.get(pk=first)
    assert org.properties == {"seats": "12"}
    assert (org.customer_count, org.conversation_count) == (1, 0)
    assert org.domains == ["org0.test"] and not org.is_placeholder
    assert Customer.objects.get(pk=customer.id).organization_id == first


def test_incremental_run_stops_at_the_first_unchanged_page(sb, make_client):
    client = make_client(sb)
    SyncEngine(client).run(["organizations"])
    oldest = min(OrganizationBook(sb.store).items)  # on the last page until it changes
    OrganizationBook(sb.store).replace(oldest, {"name": "Renamed", "domains": ["new.test"]})
    sb.request_log.clear()

    report = SyncEngine(client).run(["organizations"])

    rr = report.resources["organizations"]
    assert rr.mode == "incremental"
    # Page 1 carried the change, page 2 none: the run stops there (page 3 is not read).
    assert (rr.result.updated, rr.result.unchanged) == (1, 99)
    assert len(_listing_requests(sb)) == 2
    assert len(_detail_requests(sb)) == 1  # only the changed organization is read in full
    assert Organization.objects.get(pk=oldest).name == "Renamed"
    assert Organization.objects.get(pk=oldest).domains == ["new.test"]


def test_a_killed_full_run_resumes_at_its_last_committed_page(sb, make_client):
    client = make_client(sb)

    class Killed(BaseException):
        pass

    def kill(resource, pages_done):
        if resource == "organizations" and pages_done == 2:
            raise Killed

    with pytest.raises(Killed):
        SyncEngine(client, page_hook=kill).run(["organizations"])
    assert Organization.objects.count() == 50
    assert SyncState.objects.get(resource="organizations").cursor["page"] == 2

    report = SyncEngine(client).run(["organizations"])
    assert report.resources["organizations"].resumed_from_page == 2
    assert Organization.objects.count() == 120
    assert SyncState.objects.get(resource="organizations").cursor == {}


def test_a_full_run_removes_organizations_deleted_in_help_scout(sb, make_client):
    client = make_client(sb)
    SyncEngine(client).run(["organizations"])
    victim = max(OrganizationBook(sb.store).items)
    OrganizationBook(sb.store).delete(victim)

    report = SyncEngine(client).run(["organizations"], full=True)

    assert report.resources["organizations"].result.deleted == 1
    assert not Organization.objects.filter(pk=victim).exists()


def test_teams_and_their_members(sb, make_client):
    report = SyncEngine(make_client(sb)).run(["agents", "teams"])
    team = Team.objects.get()
    assert team.name == "Billing" and not team.is_placeholder
    members = sorted(a.first_name for a in team.members.all())
    assert members == ["U0", "U1"]
    assert report.resources["teams"].result.created == 1
    # Membership follows Help Scout: a member removed there leaves the team here.
    sb.store.teams[team.id].member_ids.pop()
    SyncEngine(make_client(sb)).run(["teams"])
    assert Team.objects.get().members.count() == 1
    assert Agent.objects.filter(is_placeholder=False).count() == 3
