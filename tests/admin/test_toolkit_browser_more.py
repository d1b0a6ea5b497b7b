"""More of the agent's toolkit in a real headless Chromium at 1366 px, against the sandbox:
manual workflows (conversation page and changelist action), send later (schedule, see it,
send now / cancel) and agents' availability in the assign dropdown. Each test checks what
the person sees and what Help Scout (the sandbox) recorded."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone

from helpscout_integration.admin.operations import refresh_conversation
from helpscout_integration.client import HelpScoutClient
from helpscout_integration.sandbox.scheduling import book_for, thread_state
from helpscout_integration.sandbox.toolkit_records import records_for
from helpscout_integration.sync.upsert import upsert_agents, upsert_mailboxes
from helpscout_integration.sync.user_statuses import sync_user_statuses
from tests.admin.test_toolkit_browser import log_in
from tests.browser_support import artifact_path


@pytest.fixture
def support_desk(transactional_db, helpscout_sandbox, django_user_model):
    """Mailbox "Support" with two conversations and the manual workflow "Escalate to
    billing" (tags `billing`, sets pending); Ada is away, Bo active."""
    sb = helpscout_sandbox
    mailbox = sb.create_mailbox(name="Support", email="support@example.com")["id"]
    ada = sb.create_user(first_name="Ada", last_name="Agent", email="ada@example.com")
    bo = sb.create_user(first_name="Bo", last_name="Backup", email="bo@example.com")
    records = records_for(sb.store)
    with sb.store.lock:
        records.status_of(ada["id"]).email_status = "away"
        records.status_of(bo["id"]).email_status = "active"
        sb.escalate = records.add_workflow(
            mailbox, "Escalate to billing", sb.clock.now(),
            actions=[("tag", "billing"), ("status", "pending")],
        )  # fmt: skip
    sb.conversations = [
        sb.create_conversation(
            mailbox_id=mailbox, customer_email=f"{who}@example.com", subject=subject,
            threads=[{"type": "customer", "text": text}],
        )["id"]
        for who, subject, text in [
            ("cleo", "Charged twice for March", "My card shows two charges."),
            ("dan", "Refund for the annual plan", "Please refund the unused months."),
        ]
    ]  # fmt: skip
    with HelpScoutClient.from_settings() as client:
        upsert_mailboxes(list(client.mailboxes.list()))
        upsert_agents(list(client.users.list()))
        sync_user_statuses(client)
        for cid in sb.conversations:
            refresh_conversation(client, cid)
    cache.clear()  # no workflow list cached by an earlier test
    django_user_model.objects.create_superuser("ada", "ada@example.com", "correct horse")
    sb.ada, sb.bo = ada, bo
    return sb


def change_url(cid) -> str:
    return f"/admin/helpscout_integration/conversation/{cid}/change/"


def workflow_runs(sb) -> list[str]:
    return [p for m, p, s in sb.request_log if m == "POST" and p.endswith("/run") and s == 204]


def tags_in_sandbox(sb, cid) -> set[str]:
    with sb.store.lock:
        conversation = sb.store.conversation(cid)
        return {sb.store.tags[t].name for t in conversation.tag_ids}


@pytest.mark.browser
def test_staff_runs_a_workflow_from_the_conversation_page(support_desk, live_server, browser_page):
    page, sb = browser_page, support_desk
    cid = sb.conversations[0]
    log_in(page, live_server, change_url(cid))

    # Availability: the assign dropdown says who is away before a person picks them.
    page.wait_for_selector("#id_assign-assignee", state="attached")
    options = [o.strip() for o in page.locator("#id_assign-assignee option").all_text_contents()]
    assert "Ada Agent (away)" in options and "Bo Backup (active)" in options, options

    page.click("#hs-action-workflow summary")
    page.select_option("#id_workflow-workflow", label="Escalate to billing")
    page.click("#hs-action-workflow input[type=submit]")
    page.wait_for_selector(".messagelist")
    assert "Workflow “Escalate to billing” ran on this conversation." in page.inner_text(
        ".messagelist"
    )
    # Help Scout recorded one run, on this conversation, and its effect.
    assert workflow_runs(sb) == [f"/v2/workflows/{sb.escalate.id}/run"]
    assert sb.store.conversation(cid).status == "pending"
    assert "billing" in tags_in_sandbox(sb, cid)
    assert sb.store.conversation(sb.conversations[1]).status == "active"  # not the other one
    # ... and the page shows the refreshed conversation.
    summary = page.inner_text(".hs-summary")
    assert "Pending" in summary and "billing" in summary and "Support" in summary, summary
    page.screenshot(path=str(artifact_path("toolkit-workflow-ran-1366.png")), full_page=True)


@pytest.mark.browser
def test_staff_runs_a_workflow_on_two_selected_conversations(
    support_desk, live_server, browser_page
):
    page, sb = browser_page, support_desk
    log_in(page, live_server, "/admin/helpscout_integration/conversation/")
    page.wait_for_selector("#result_list")
    for cid in sb.conversations:
        page.check(f"#result_list input[name=_selected_action][value='{cid}']")
    page.select_option("select[name=action]", "run_workflow_action")
    page.click("button[name=index]")
    page.wait_for_selector("#id_workflow")
    assert "2 selected conversations" in page.inner_text("#content-main")
    page.select_option(
        "#id_workflow", label=f"Escalate to billing (mailbox {sb.escalate.mailbox_id})"
    )
    page.screenshot(path=str(artifact_path("toolkit-workflow-choose-1366.png")))
    page.click("input[name=apply]")
    page.wait_for_selector(".messagelist")
    assert "Batch 1 (2 conversation(s)): “Escalate to billing” ran." in page.inner_text(
        ".messagelist"
    )
    assert workflow_runs(sb) == [f"/v2/workflows/{sb.escalate.id}/run"]  # one call for both
    for cid in sb.conversations:
        assert sb.store.conversation(cid).status == "pending"
        assert "billing" in tags_in_sandbox(sb, cid)
    # The list the person returns to shows the workflow's effect on both rows.
    for cid in sb.conversations:
        row = page.locator(f"#result_list tr:has(input[value='{cid}'])")
        assert "Pending" in row.inner_text() and "billing" in row.inner_text()
    page.screenshot(path=str(artifact_path("toolkit-workflow-batch-1366.png")), full_page=True)


def schedule_a_reply(page, text: str) -> dt.datetime:
    """Fill and submit "Send later" for three hours from now; returns that time."""
    page.click("#hs-action-send_later summary")
    page.fill("#id_send_later-text", text)
    when = timezone.localtime(timezone.now() + dt.timedelta(hours=3)).replace(
        second=0, microsecond=0
    )
    page.fill("#id_send_later-scheduled_for", when.strftime("%Y-%m-%dT%H:%M"))
    page.click("#hs-action-send_later input[type=submit]")
    page.wait_for_selector(".hs-scheduled")
    return when


@pytest.mark.browser
def test_staff_schedules_a_reply_then_sends_it_now(support_desk, live_server, browser_page):
    page, sb = browser_page, support_desk
    cid = sb.conversations[0]
    log_in(page, live_server, change_url(cid))
    when = schedule_a_reply(page, "Your duplicate charge is refunded.")

    assert f"Reply scheduled for {when:%Y-%m-%d %H:%M}" in page.inner_text(".messagelist")
    assert "scheduled to send" in page.inner_text(".hs-scheduled")
    [(thread_id, schedule)] = book_for(sb.store).schedules.items()
    assert schedule.conversation_id == cid
    assert abs(schedule.scheduled_for - when.timestamp()) < 1
    assert schedule.unschedule_on_customer_reply is True  # the box the person saw ticked
    assert thread_state(sb.store, thread_id) == "draft"  # not sent to the customer yet
    page.screenshot(
        path=str(artifact_path("toolkit-send-later-scheduled-1366.png")), full_page=True
    )

    page.click("#hs-action-scheduled summary")
    page.select_option("#id_scheduled-thread", str(thread_id))
    page.select_option("#id_scheduled-what", "send_now")
    page.click("#hs-action-scheduled input[type=submit]")
    page.wait_for_selector(".messagelist")
    assert page.locator(".hs-scheduled").count() == 0
    assert page.locator("#hs-action-scheduled").count() == 0  # nothing left to send
    assert f"Scheduled reply #{thread_id} sent now." in page.inner_text(".messagelist")
    assert thread_id not in book_for(sb.store).schedules
    assert thread_state(sb.store, thread_id) == "published"
    page.screenshot(path=str(artifact_path("toolkit-send-later-sent-1366.png")), full_page=True)


@pytest.mark.browser
def test_staff_schedules_a_reply_then_cancels_it(support_desk, live_server, browser_page):
    page, sb = browser_page, support_desk
    cid = sb.conversations[1]
    log_in(page, live_server, change_url(cid))
    schedule_a_reply(page, "We will refund the unused months.")
    [thread_id] = book_for(sb.store).schedules

    page.click("#hs-action-scheduled summary")
    page.select_option("#id_scheduled-what", "cancel")
    page.click("#hs-action-scheduled input[type=submit]")
    page.wait_for_selector("text=draft (not sent)")
    assert f"Scheduled reply #{thread_id} cancelled; it stays a draft in Help Scout." in (
        page.inner_text(".messagelist")
    )
    assert page.locator(".hs-scheduled").count() == 0
    assert thread_id not in book_for(sb.store).schedules
    assert thread_state(sb.store, thread_id) == "draft"  # kept, never sent
    page.screenshot(
        path=str(artifact_path("toolkit-send-later-cancelled-1366.png")), full_page=True
    )
