"""The mirror writer links customers to organizations and conversations to teams, and
never turns a team assignee into an Agent."""

import pytest

from helpscout_integration.models import Agent, Conversation, Customer, Organization, Team
from helpscout_integration.sync.upsert import upsert_conversations, upsert_customers

from .payloads import conversation

pytestmark = pytest.mark.django_db

TEAM = {"id": 77, "type": "team", "first": "Billing team", "last": "", "email": ""}


def test_a_team_assignee_becomes_a_placeholder_team_not_an_agent():
    upsert_conversations([conversation(1, assignee=TEAM)])
    row = Conversation.objects.get(pk=1)
    assert row.assignee_id is None
    assert row.assignee_team_id == 77
    team = Team.objects.get(pk=77)
    assert team.is_placeholder and team.name == "Billing team"
    assert not Agent.objects.filter(pk=77).exists()


def test_reassigning_from_a_team_to_an_agent_clears_the_team():
    upsert_conversations([conversation(1, assignee=TEAM)])
    upsert_conversations([conversation(1, assignee=7, updated="2024-01-02T10:00:00Z")])
    row = Conversation.objects.get(pk=1)
    assert (row.assignee_id, row.assignee_team_id) == (7, None)


def test_customer_organization_id_links_a_placeholder_organization():
    upsert_customers([{"id": 5, "organizationId": 15, "organization": "Acme"}])
    customer = Customer.objects.get(pk=5)
    assert customer.organization_id == 15 and customer.organization_name == "Acme"
    assert Organization.objects.get(pk=15).is_placeholder


def test_a_real_organization_row_is_never_overwritten_by_a_placeholder():
    Organization.objects.create(id=15, name="Acme Corporation")
    upsert_customers([{"id": 5, "organizationId": 15}])
    org = Organization.objects.get(pk=15)
    assert org.name == "Acme Corporation" and not org.is_placeholder
