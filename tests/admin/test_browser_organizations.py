"""Staff see the company behind a conversation, in a real headless Chromium: the
conversation's sidebar, the organization's page, and the team filter."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from helpscout_integration.models import Agent, Conversation, Customer, Mailbox, Organization, Team
from tests.browser_support import artifact_path

WHEN = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def company(transactional_db, settings, django_user_model):
    settings.HELPSCOUT = {
        **settings.HELPSCOUT,
        "ORGANIZATION_OF_USER": "tests.organizations.accounts.account_of",
        "ORGANIZATION_FIELDS": "tests.organizations.accounts.fields_of",
    }
    acme = Organization.objects.create(
        id=15,
        name="Acme Corporation",
        domains=["acme.test"],
        location="US",
        properties={"plan": "Enterprise", "seats": "120"},
        customer_count=1,
        conversation_count=1,
    )
    ada = Agent.objects.create(id=7, first_name="Ada", last_name="Agent", email="ada@example.com")
    team = Team.objects.create(id=90, name="Billing team")
    team.members.add(ada)
    cleo = Customer.objects.create(
        id=55, first_name="Cleo", last_name="Customer", email="cleo@acme.test", organization=acme
    )
    mailbox = Mailbox.objects.create(id=1, name="Support")
    Conversation.objects.create(
        id=501, number=501, subject="Invoice shows the wrong seat count", status="active",
        mailbox=mailbox, customer=cleo, assignee_team=team, created_at=WHEN, updated_at=WHEN,
    )  # fmt: skip
    user = django_user_model.objects.create_user("cleo", "cleo@acme.test")
    user.groups.add(Group.objects.create(name="Acme (account 12)"))
    django_user_model.objects.create_superuser("ada", "ada@example.com", "correct horse")
    return acme


@pytest.mark.browser
def test_the_company_behind_a_conversation(company, live_server, browser_page):
    page = browser_page
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{live_server.url}/admin/login/?next=/admin/")
    page.fill("#id_username", "ada")
    page.fill("#id_password", "correct horse")
    page.click("input[type=submit]")

    changelist = reverse("admin:helpscout_integration_conversation_changelist")
    page.goto(f"{live_server.url}{changelist}?team=mine")
    assert "Invoice shows the wrong seat count" in page.inner_text("#result_list")
    assert "Billing team (team)" in page.inner_text("#result_list")
    page.screenshot(path=str(artifact_path("admin-assigned-to-my-team.png")), full_page=True)

    page.click("text=Invoice shows the wrong seat count")
    assert "assigned to team Billing team" in page.inner_text("#content")
    sidebar = page.inner_text(".hs-sidebar")
    assert "Acme Corporation" in sidebar and "Acme (account 12)" in sidebar
    assert "Enterprise" in sidebar
    page.screenshot(path=str(artifact_path("admin-conversation-company.png")), full_page=True)

    page.click(".hs-sidebar >> text=Acme Corporation")
    body = page.inner_text("#content")
    assert "Cleo Customer" in body and "Invoice shows the wrong seat count" in body
    page.screenshot(path=str(artifact_path("admin-organization.png")), full_page=True)
