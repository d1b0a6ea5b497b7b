"""Agents' availability beside assignees: on the page, in the assign dropdown, in the list."""

import pytest
from django.urls import reverse

from helpscout_integration.models import Agent, AgentStatus

pytestmark = pytest.mark.django_db


def test_away_agents_are_marked_everywhere_staff_assign(admin_client, mirror):
    bob = Agent.objects.create(id=8, first_name="Bob", last_name="Backup", email="b@example.com")
    AgentStatus.objects.create(
        user_id=mirror.agent.pk, email_status="away", chat_status="unavailable"
    )
    AgentStatus.objects.create(user_id=bob.pk, email_status="active")
    conv = mirror.conversation()

    page = admin_client.get(
        reverse("admin:helpscout_integration_conversation_change", args=[conv.pk])
    ).content.decode()
    assert 'id="hs-assignee-status">(away, chat unavailable)' in page
    assert ">Ada Agent (away)</option>" in page and ">Bob Backup (active)</option>" in page

    listing = admin_client.get(
        reverse("admin:helpscout_integration_conversation_changelist")
    ).content.decode()
    assert 'class="hs-availability hs-availability-away"' in listing
