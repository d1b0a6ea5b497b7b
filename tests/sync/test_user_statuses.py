"""Agents' availability mirrored: by a sync of agents and by `user.status.changed`."""

import pytest

from helpscout_integration.models import AgentStatus
from helpscout_integration.sandbox import Sandbox
from helpscout_integration.sync.engine import SyncEngine
from helpscout_integration.webhooks.handlers import handle

pytestmark = pytest.mark.django_db


def status(user_id, email="active", updated="2026-02-06T10:00:00Z", chat="available"):
    return {
        "userId": user_id,
        "email": {"status": email, "updatedAt": updated, "performedBy": user_id, "source": "ui"},
        "chat": {"status": chat, "mailboxStatuses": {}},
    }


def test_a_sync_of_agents_brings_their_statuses(make_client):
    with Sandbox(seed="demo") as sb:
        SyncEngine(make_client(sb)).run(resources=["agents"])
        mirrored = dict(AgentStatus.objects.values_list("user_id", "email_status"))
        assert set(mirrored) == set(sb.store.users)
        assert "away" in mirrored.values() and "active" in mirrored.values()


def test_the_webhook_writes_newer_statuses_only():
    handle("user.status.changed", status(5, "away", "2026-02-06T10:00:00Z"), None)
    assert AgentStatus.objects.get(pk=5).email_status == "away"
    late = handle("user.status.changed", status(5, "active", "2026-02-06T09:00:00Z"), None)
    assert late.status == "ignored"  # an older delivery arriving late changes nothing
    assert AgentStatus.objects.get(pk=5).email_status == "away"
    handle("user.status.changed", status(5, "active", "2026-02-06T11:00:00Z", "custom"), None)
    row = AgentStatus.objects.get(pk=5)
    assert (row.email_status, row.chat_status) == ("active", "custom")


def test_available_before_2026_reads_as_active():
    handle("user.status.changed", status(6, "available"), None)
    assert AgentStatus.objects.get(pk=6).email_status == "active"
