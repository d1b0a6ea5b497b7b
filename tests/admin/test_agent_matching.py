"""Which Help Scout agent a staff user acts as: Help Scout's email rules, no Unicode folds.

KELVIN SIGN (U+212A) lower-cases to an ASCII "k" in Python; PostgreSQL's `UPPER()` folds
LATIN SMALL LETTER LONG S (U+017F) to "S". Either way `iexact` could let a staff account
`\u212aate@example.com` reply, assign or filter as the agent `kate@example.com`.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from helpscout_integration.admin.filters import agent_for_user
from helpscout_integration.admin.operations import ActionError, resolve_agent_id
from helpscout_integration.models import Agent

from .conftest import now

pytestmark = pytest.mark.django_db

KELVIN = "\u212aate@example.com"
LONG_S = "\u017fam@example.com"


@pytest.fixture
def agents():
    return {
        "kate": Agent.objects.create(id=21, first_name="Kate", email="kate@example.com"),
        "sam": Agent.objects.create(id=22, first_name="Sam", email="sam@example.com"),
    }


@pytest.mark.parametrize(
    "look_alike", [KELVIN, LONG_S, "\u212aATE@EXAMPLE.COM", "\u017fAM@Example.com"]
)
def test_a_look_alike_staff_email_matches_no_agent(agents, staff_user, look_alike):
    user = staff_user("view_conversation", email=look_alike)

    assert agent_for_user(user) is None
    with pytest.raises(ActionError, match="does not match a Help Scout user"):
        resolve_agent_id(user)


def test_ascii_case_still_matches_and_the_real_agent_beats_a_placeholder(agents, staff_user):
    Agent.objects.create(id=5, email="kate@example.com", is_placeholder=True)

    assert agent_for_user(staff_user(email=" KATE@Example.com ")) == agents["kate"]


def test_a_non_ascii_address_matches_only_itself(staff_user):
    # (Django's create_user lower-cases the domain; the local part is kept as typed.)
    jorg = Agent.objects.create(id=30, first_name="Jörg", email="Jörg@bücher.example")

    assert agent_for_user(staff_user(email="Jörg@bücher.example")) == jorg
    assert agent_for_user(staff_user(email="jörg@bücher.example")) is None


def test_assigned_to_me_shows_nothing_to_a_look_alike(agents, staff_user):
    from helpscout_integration.models import Conversation, Mailbox

    mailbox = Mailbox.objects.create(id=1, name="Support")
    Conversation.objects.create(
        id=900, number=900, subject="Kate's queue", mailbox=mailbox, assignee=agents["kate"],
        status="active", created_at=now(), updated_at=now(),
    )  # fmt: skip
    client = Client()
    client.force_login(staff_user("view_conversation", email=KELVIN))

    response = client.get(
        reverse("admin:helpscout_integration_conversation_changelist"), {"assignee": "me"}
    )

    assert response.status_code == 200
    assert "Kate&#x27;s queue" not in response.content.decode()
    assert "Kate's queue" not in response.content.decode()
