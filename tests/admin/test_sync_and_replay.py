"""Starting a sync and replaying webhook events from the admin."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from helpscout_integration.models import Conversation, SyncState, WebhookEvent
from helpscout_integration.tasks_compat import DUMMY_BACKEND

pytestmark = pytest.mark.django_db

RUN_SYNC = "admin:helpscout_integration_syncstate_run_sync"


def test_run_sync_needs_the_permission_and_a_post(staff_user):
    client = Client()
    client.force_login(staff_user("view_syncstate"))
    assert client.post(reverse(RUN_SYNC)).status_code == 403
    page = client.get(reverse("admin:helpscout_integration_syncstate_changelist"))
    assert reverse(RUN_SYNC) not in page.content.decode()
    client.force_login(staff_user("view_syncstate", "run_sync"))
    assert client.get(reverse(RUN_SYNC)).status_code == 405
    page = client.get(reverse("admin:helpscout_integration_syncstate_changelist"))
    assert reverse(RUN_SYNC) in page.content.decode()


def test_run_sync_now_mirrors_help_scout(helpscout_sandbox, staff_user):
    sb = helpscout_sandbox
    mailbox = sb.create_mailbox(name="Support", email="support@example.com")
    created = sb.create_conversation(
        mailbox_id=mailbox["id"], customer_email="cleo@example.com", subject="From the sandbox",
        threads=[{"type": "customer", "text": "Hello"}],
    )  # fmt: skip
    client = Client()
    client.force_login(staff_user("view_syncstate", "run_sync"))
    # The test settings use the immediate task backend: the queued task runs right away.
    response = client.post(reverse(RUN_SYNC), {"next": "overview"}, follow=True)
    assert response.status_code == 200
    assert "Incremental sync queued" in response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("admin:helpscout_integration_overview")
    assert Conversation.objects.get(pk=created["id"]).subject == "From the sandbox"
    assert SyncState.objects.filter(resource="conversations").exists()


def test_replay_needs_its_permission(staff_user):
    event = WebhookEvent.objects.create(event_type="convo.created", body=b"{}", status="failed")
    url = reverse("admin:helpscout_integration_webhookevent_changelist")
    client = Client()
    client.force_login(staff_user("view_webhookevent"))
    page = client.get(url).content.decode()
    assert "replay_webhook_events" not in page
    response = client.post(url, {"action": "replay_webhook_events", "_selected_action": [event.pk]})
    assert response.status_code == 200  # Django: unknown action -> list again, nothing done
    event.refresh_from_db()
    assert event.status == "failed" and event.attempts == 0


@pytest.fixture
def queued(settings):
    """Tasks go to a dummy backend (alias "queued") that records instead of running."""
    from helpscout_integration.tasks_compat import task_backends

    settings.TASKS = {
        **settings.TASKS,
        "queued": {"BACKEND": DUMMY_BACKEND},
    }
    settings.HELPSCOUT = {**settings.HELPSCOUT, "TASK_BACKEND": "queued"}
    backend = task_backends["queued"]
    backend.clear()
    return backend.results


def test_sync_selected_resources_enqueues_them_on_the_configured_backend(queued, staff_user):
    customers = SyncState.objects.create(resource="customers")
    SyncState.objects.create(resource="tags")
    client = Client()
    client.force_login(staff_user("view_syncstate", "run_sync"))
    response = client.post(
        reverse("admin:helpscout_integration_syncstate_changelist"),
        {"action": "run_incremental_sync", "_selected_action": [customers.pk]},
        follow=True,
    )
    assert "Incremental sync of customers queued" in response.content.decode()
    assert len(queued) == 1
    assert queued[0].task.name == "sync_incremental"
    assert queued[0].kwargs == {"resources": ["customers"]}


def test_sync_selected_resources_needs_the_run_sync_permission(queued, staff_user):
    """Viewing the sync states is not leave to start syncs: without `run_sync` the action
    is neither offered nor run when posted anyway."""
    customers = SyncState.objects.create(resource="customers")
    url = reverse("admin:helpscout_integration_syncstate_changelist")
    client = Client()
    client.force_login(staff_user("view_syncstate"))
    assert "run_incremental_sync" not in client.get(url).content.decode()
    response = client.post(
        url, {"action": "run_incremental_sync", "_selected_action": [customers.pk]}
    )
    assert response.status_code == 200  # Django: unknown action -> list again, nothing done
    assert queued == []


def test_run_sync_button_enqueues_every_resource(queued, staff_user):
    client = Client()
    client.force_login(staff_user("view_syncstate", "run_sync"))
    client.post(reverse(RUN_SYNC))
    assert len(queued) == 1 and queued[0].kwargs == {}


def test_replay_selected_processes_the_stored_delivery_again(
    helpscout_sandbox, staff_user, django_capture_on_commit_callbacks
):
    sb = helpscout_sandbox
    mailbox = sb.create_mailbox(name="Support", email="support@example.com")
    created = sb.create_conversation(
        mailbox_id=mailbox["id"], customer_email="cleo@example.com", subject="Replayed",
        threads=[{"type": "customer", "text": "Hello"}],
    )  # fmt: skip
    body = json.dumps(sb.get_conversation(created["id"])).encode()
    event = WebhookEvent.objects.create(
        event_type="convo.created", body=body, signature_valid=True, resource_id=created["id"],
        status="failed", error="database was down",
    )  # fmt: skip
    client = Client()
    client.force_login(staff_user("view_webhookevent", "replay_webhookevent"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:helpscout_integration_webhookevent_changelist"),
            {"action": "replay_webhook_events", "_selected_action": [event.pk]},
            follow=True,
        )
    assert "Queued 1 webhook event(s)" in response.content.decode()
    event.refresh_from_db()
    assert event.status == "processed" and event.error == ""
    assert Conversation.objects.get(pk=created["id"]).subject == "Replayed"
