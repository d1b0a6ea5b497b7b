"""Organizations and teams in the admin: their pages, the conversation changelist's team
and organization filters, the sidebar's company section, team assignment, and the host's
one-line helpers."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse

from helpscout_integration.admin.host import account_conversations, user_conversations
from helpscout_integration.admin.operations import refresh_conversation
from helpscout_integration.client import HelpScoutClient
from helpscout_integration.models import (
    AccountOrganization,
    Conversation,
    Customer,
    Organization,
    Team,
)
from helpscout_integration.sandbox.teams import TeamBook
from helpscout_integration.sync.upsert import upsert_agents

pytestmark = pytest.mark.django_db

ACME = dict(id=15, name="Acme", domains=["acme.test"], properties={"plan": "Enterprise"})


def changelist(client, **params):
    return client.get(reverse("admin:helpscout_integration_conversation_changelist"), params)


@pytest.fixture
def viewer(staff_user):
    client = Client()
    client.force_login(
        staff_user(
            "view_conversation",
            "view_organization",
            "view_team",
            "view_customer",
            email="ada@example.com",
        )
    )
    return client


@pytest.fixture
def company(mirror):
    acme = Organization.objects.create(**ACME)
    Customer.objects.filter(pk=mirror.customer.pk).update(organization=acme)
    other = Customer.objects.create(id=56, first_name="Olga", email="olga@other.test")
    team = Team.objects.create(id=90, name="Billing team")
    team.members.add(mirror.agent)
    ours = mirror.conversation(id=501, subject="Invoice wrong", assignee=None, assignee_team=team)
    theirs = mirror.conversation(id=502, subject="Other company", customer=other)
    return acme, team, ours, theirs


def test_organization_page_shows_properties_customers_and_conversations(viewer, company):
    acme, *_ = company
    page = viewer.get(
        reverse("admin:helpscout_integration_organization_change", args=[acme.pk])
    ).content.decode()
    assert "Enterprise" in page and "acme.test" in page
    assert "Cleo Customer" in page and "Invoice wrong" in page
    assert "Other company" not in page
    assert f"?organization={acme.pk}" in page
    listing = viewer.get(reverse("admin:helpscout_integration_organization_changelist"))
    assert "Acme" in listing.content.decode()


def test_team_page_lists_members(viewer, company):
    _, team, *_ = company
    page = viewer.get(reverse("admin:helpscout_integration_team_change", args=[team.pk]))
    assert "Ada Agent" in page.content.decode()


def test_changelist_filters_by_organization_and_team(viewer, company):
    acme, team, ours, theirs = company
    by_org = changelist(viewer, organization=acme.pk).content.decode()
    assert "Invoice wrong" in by_org and "Other company" not in by_org
    mine = changelist(viewer, team="mine").content.decode()  # Ada is in the billing team
    assert "Invoice wrong" in mine and "Other company" not in mine
    by_team = changelist(viewer, team=team.pk).content.decode()
    assert "Invoice wrong" in by_team and "Other company" not in by_team
    everything = changelist(viewer).content.decode()
    assert "Billing team <small>(team)</small>" in everything


def test_assigned_to_my_team_is_empty_for_staff_in_no_team(staff_user, company):
    client = Client()
    client.force_login(staff_user("view_conversation", email="nobody@example.com"))
    page = changelist(client, team="mine").content.decode()
    assert "Invoice wrong" not in page


def test_sidebar_shows_the_organization_and_the_product_account(
    viewer, company, settings, django_user_model
):
    settings.HELPSCOUT = {
        **settings.HELPSCOUT,
        "ORGANIZATION_OF_USER": "tests.organizations.accounts.account_of",
        "ORGANIZATION_FIELDS": "tests.organizations.accounts.fields_of",
    }
    acme, _, ours, _ = company
    cleo = django_user_model.objects.create_user("cleo", "cleo@example.com")
    account = Group.objects.create(name="Acme account")
    cleo.groups.add(account)
    assert admin.site.is_registered(Group)

    page = viewer.get(
        reverse("admin:helpscout_integration_conversation_change", args=[ours.pk])
    ).content.decode()

    assert reverse("admin:helpscout_integration_organization_change", args=[acme.pk]) in page
    assert reverse("admin:auth_group_change", args=[account.pk]) in page
    assert reverse("admin:auth_user_change", args=[cleo.pk]) in page
    assert "Enterprise" in page


def test_host_helpers_list_a_users_and_an_accounts_conversations(company, django_user_model):
    acme, _, ours, theirs = company
    cleo = django_user_model.objects.create_user("cleo", "cleo@example.com")
    assert "Invoice wrong" in user_conversations(cleo)
    assert "Other company" not in user_conversations(cleo)
    account = Group.objects.create(name="Acme account")
    assert "Not pushed" in account_conversations(account)
    AccountOrganization.objects.create(
        account_type=ContentType.objects.get_for_model(Group),
        account_id=str(account.pk),
        organization_id=acme.pk,
    )
    shown = account_conversations(account)
    assert "Invoice wrong" in shown and "Other company" not in shown
    assert f"organization={acme.pk}" in shown


@pytest.fixture
def team_hs(helpscout_sandbox):
    sb = helpscout_sandbox
    mailbox = sb.create_mailbox(name="Support", email="support@example.com")
    ada = sb.create_user(first_name="Ada", last_name="Agent", email="ada@example.com")
    team = TeamBook(sb.store).add("Tier 2", [ada["id"]])
    conversation = sb.create_conversation(
        mailbox_id=mailbox["id"],
        customer_email="cleo@example.com",
        subject="Refund please",
        threads=[{"type": "customer", "text": "I was charged twice."}],
    )
    with HelpScoutClient.from_settings() as client:
        upsert_agents(list(client.users.list()))
        refresh_conversation(client, conversation["id"])
    Team.objects.create(id=team.id, name="Tier 2")
    return sb, conversation["id"], team.id


def test_assign_to_a_team_from_the_conversation_page(team_hs, staff_user):
    sb, cid, team_id = team_hs
    client = Client()
    client.force_login(
        staff_user("view_conversation", "assign_conversation", email="ada@example.com")
    )
    page = client.get(reverse("admin:helpscout_integration_conversation_change", args=[cid]))
    assert "Assign to a team" in page.content.decode()

    url = reverse("admin:helpscout_integration_conversation_assign_team", args=[cid])
    assert client.post(url, {"assign_team-team": team_id}).status_code == 302

    assert sb.get_conversation(cid)["assignee"]["type"] == "team"
    row = Conversation.objects.get(pk=cid)
    assert (row.assignee_team_id, row.assignee_id) == (team_id, None)


def test_assigning_to_a_team_needs_the_assign_permission(team_hs, staff_user):
    sb, cid, team_id = team_hs
    client = Client()
    client.force_login(staff_user("view_conversation", email="ada@example.com"))
    url = reverse("admin:helpscout_integration_conversation_assign_team", args=[cid])
    assert client.post(url, {"assign_team-team": team_id}).status_code == 403
    assert not sb.get_conversation(cid).get("assignee")


def test_the_all_customers_link_lists_the_organizations_customers(viewer, company):
    acme, *_ = company
    url = reverse("admin:helpscout_integration_customer_changelist")
    page = viewer.get(url, {"organization__id__exact": acme.pk})
    assert page.status_code == 200
    text = page.content.decode()
    assert "cleo@example.com" in text and "olga@other.test" not in text
