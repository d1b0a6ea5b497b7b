"""Migration 0008 fills the new links from the raw JSON the mirror already holds."""

from importlib import import_module

import pytest
from django.apps import apps

from helpscout_integration.models import Agent, Conversation, Customer, Organization, Team

migration = import_module("helpscout_integration.migrations.0008_organizations_teams")


@pytest.mark.django_db
def test_customers_get_their_organization_and_team_assignees_move_off_agents():
    Customer.objects.create(id=1, organization_name="Acme", data={"id": 1, "organizationId": 15})
    Customer.objects.create(id=2, organization_name="Solo", data={"id": 2})
    # What earlier versions wrote for a team assignee: a placeholder Agent with its id.
    Agent.objects.create(id=77, first_name="Billing", is_placeholder=True)
    Agent.objects.create(id=9, first_name="Ana")
    Conversation.objects.create(
        id=10, assignee_id=77, data={"id": 10, "assignee": {"id": 77, "type": "team"}}
    )
    Conversation.objects.create(
        id=11, assignee_id=9, data={"id": 11, "assignee": {"id": 9, "type": "user"}}
    )

    migration.link_mirrored_rows(apps, None)

    assert Customer.objects.get(pk=1).organization_id == 15
    assert Organization.objects.get(pk=15).is_placeholder
    assert Customer.objects.get(pk=2).organization_id is None
    assert Customer.objects.get(pk=2).organization_name == "Solo"
    moved = Conversation.objects.get(pk=10)
    assert (moved.assignee_id, moved.assignee_team_id) == (None, 77)
    assert Team.objects.get(pk=77).name == "Billing"
    assert not Agent.objects.filter(pk=77).exists()  # the team's stand-in agent is gone
    kept = Conversation.objects.get(pk=11)
    assert (kept.assignee_id, kept.assignee_team_id) == (9, None)
    assert Agent.objects.filter(pk=9).exists()
