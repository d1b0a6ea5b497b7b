"""Manual workflows from the conversation page and the changelist, against the sandbox."""

from __future__ import annotations

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.models import LogEntry
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from helpscout_integration.admin.operations import refresh_conversation
from helpscout_integration.client import HelpScoutClient
from helpscout_integration.models import Conversation
from helpscout_integration.sandbox.toolkit_records import records_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def hs(helpscout_sandbox):
    """Mailbox A with 53 conversations, mailbox B with 1; A's manual workflow closes."""
    sb = helpscout_sandbox
    a = sb.create_mailbox(name="A")["id"]
    b = sb.create_mailbox(name="B")["id"]
    records = records_for(sb.store)
    now = sb.clock.now()
    sb.close = records.add_workflow(a, "Close it", now, actions=[("status", "closed")])
    records.add_workflow(a, "Automatic", now, type="automatic", actions=[("tag", "x")])
    ids = [
        sb.create_conversation(mailbox_id=a, customer_email=f"c{n}@example.com")["id"]
        for n in range(53)
    ]
    other = sb.create_conversation(mailbox_id=b, customer_email="b@example.com")["id"]
    with HelpScoutClient.from_settings() as client:
        for cid in [*ids, other]:
            refresh_conversation(client, cid)
    sb.ids, sb.other = ids, other
    cache.clear()
    return sb


@pytest.fixture
def ada(staff_user):
    client = Client()
    client.force_login(staff_user("view_conversation", "run_workflow"))
    return client


def run_calls(sb):
    return [p for m, p, _ in sb.request_log if m == "POST" and p.endswith("/run")]


def test_the_conversation_page_runs_a_manual_workflow_of_its_mailbox(hs, ada):
    cid = hs.ids[0]
    page = ada.get(reverse("admin:helpscout_integration_conversation_change", args=[cid]))
    text = page.content.decode()
    assert "Close it" in text and "Automatic" not in text  # manual ones only
    response = ada.post(
        reverse("admin:helpscout_integration_conversation_workflow", args=[cid]),
        {"workflow-workflow": hs.close.id},
    )
    assert response.status_code == 302
    assert hs.store.conversation(cid).status == "closed"
    assert "Workflow “Close it” ran" in LogEntry.objects.get().change_message


def test_the_changelist_action_runs_in_batches_of_50_and_reports_each(hs, ada):
    url = reverse("admin:helpscout_integration_conversation_changelist")
    selected = [*hs.ids, hs.other]
    choose = ada.post(url, {"action": "run_workflow_action", ACTION_CHECKBOX_NAME: selected})
    assert choose.status_code == 200 and "Close it" in choose.content.decode()
    done = ada.post(
        url,
        {"action": "run_workflow_action", ACTION_CHECKBOX_NAME: selected, "apply": "1",
         "workflow": hs.close.id},
        follow=True,
    )  # fmt: skip
    messages = [str(m) for m in done.context["messages"]]
    assert any("Skipped 1 conversation(s) of other mailboxes" in m for m in messages)
    assert any(m.startswith("Batch 1 (50 conversation(s))") and "ran" in m for m in messages)
    assert any(m.startswith("Batch 2 (3 conversation(s))") and "ran" in m for m in messages)
    assert len(run_calls(hs)) == 2
    assert {hs.store.conversation(i).status for i in hs.ids} == {"closed"}
    assert hs.store.conversation(hs.other).status == "active"
    assert LogEntry.objects.count() == 53
    # The list shows what ran: the first 50 re-read at once, the rest said to catch up.
    mirrored = dict(Conversation.objects.values_list("pk", "status"))
    assert {mirrored[i] for i in hs.ids[:50]} == {"closed"}
    assert {mirrored[i] for i in hs.ids[50:]} == {"active"}
    assert (
        "3 conversation(s) will show the workflow's changes here after the next sync"
        in (messages[-1])
    )


def test_a_refused_batch_is_reported_as_refused(hs, ada):
    url = reverse("admin:helpscout_integration_conversation_changelist")
    ada.post(url, {"action": "run_workflow_action", ACTION_CHECKBOX_NAME: hs.ids[:2]})
    # Turned off in Help Scout while the (cached) list still offers it.
    records_for(hs.store).workflows[hs.close.id].status = "inactive"
    done = ada.post(
        url,
        {"action": "run_workflow_action", ACTION_CHECKBOX_NAME: hs.ids[:2], "apply": "1",
         "workflow": hs.close.id},
        follow=True,
    )  # fmt: skip
    [message] = [str(m) for m in done.context["messages"]]
    assert message.startswith("Batch 1 (2 conversation(s)): Help Scout refused it")
    assert "not active" in message


def test_without_the_permission_there_is_no_action(hs, staff_user):
    client = Client()
    client.force_login(staff_user("view_conversation"))
    page = client.get(reverse("admin:helpscout_integration_conversation_changelist"))
    assert "run_workflow_action" not in page.content.decode()
