"""Saved replies, workflows and user statuses in the sandbox, through the client."""

from __future__ import annotations

import pytest

from helpscout_integration.client import HelpScoutClient
from helpscout_integration.exceptions import NotFoundError, ValidationError
from helpscout_integration.sandbox import Sandbox
from helpscout_integration.sandbox.toolkit_records import records_for


@pytest.fixture(scope="module")
def sb():
    with Sandbox(seed="demo", rate_limit_per_minute=None, write_burst=None) as sandbox:
        yield sandbox


@pytest.fixture
def client(sb):
    settings = sb.helpscout_settings()
    with HelpScoutClient(
        app_id=settings["APP_ID"], app_secret=settings["APP_SECRET"],
        api_base_url=sb.api_base_url, token_url=sb.token_url,
    ) as made:  # fmt: skip
        yield made


def test_chat_only_saved_replies_are_hidden_unless_asked(sb, client):
    mailbox = min(sb.store.mailboxes)
    names = [r["name"] for r in client.saved_replies.list(mailbox)]
    assert "Refund issued" in names and "Chat greeting" not in names
    with_chat = client.saved_replies.list(mailbox, include_chat_replies=True)
    assert "Chat greeting" in [r["name"] for r in with_chat]
    refund = next(r for r in with_chat if r["name"] == "Refund issued")
    assert "<br />" in client.saved_replies.get(mailbox, refund["id"])["text"]


def test_saved_reply_create_update_delete(sb, client):
    mailbox = min(sb.store.mailboxes)
    new_id = client.saved_replies.create(mailbox, {"name": "Thanks", "text": "Thank you!"})
    client.saved_replies.update(mailbox, new_id, {"name": "Thanks!", "text": "Thanks a lot"})
    assert client.saved_replies.get(mailbox, new_id)["name"] == "Thanks!"
    client.saved_replies.delete(mailbox, new_id)
    with pytest.raises(NotFoundError):
        client.saved_replies.get(mailbox, new_id)
    with pytest.raises(ValidationError):
        client.saved_replies.create(mailbox, {"text": "no name"})


def manual_workflow(sb, name="Close as resolved"):
    mailbox = min(sb.store.mailboxes)
    return next(
        w for w in records_for(sb.store).workflows.values()
        if w.mailbox_id == mailbox and w.name == name
    )  # fmt: skip


def conversations_of(sb, mailbox_id, count, status="active"):
    ids = [
        c.id for c in sb.store.conversations.values()
        if c.mailbox_id == mailbox_id and c.status == status
    ]  # fmt: skip
    return ids[:count]


def test_running_a_manual_workflow(sb, client):
    workflow = manual_workflow(sb)
    ids = conversations_of(sb, workflow.mailbox_id, 3)
    client.workflows.run(workflow.id, ids)
    assert {sb.store.conversation(i).status for i in ids} == {"closed"}


def test_more_than_50_ids_is_a_400_and_the_batches_helper_splits(sb, client):
    workflow = manual_workflow(sb, "Escalate to billing")
    ids = conversations_of(sb, workflow.mailbox_id, 51, status="closed")
    assert len(ids) == 51
    with pytest.raises(ValueError):
        client.workflows.run(workflow.id, ids)  # refused before any request
    outcomes = list(client.workflows.run_in_batches(workflow.id, ids))
    assert [len(o.conversation_ids) for o in outcomes] == [50, 1]
    assert all(o.ok for o in outcomes)


def test_the_sandbox_refuses_51_ids_itself(sb, client):
    workflow = manual_workflow(sb, "Escalate to billing")
    ids = conversations_of(sb, workflow.mailbox_id, 51, status="pending")
    with pytest.raises(ValidationError) as caught:
        client.request("POST", f"/workflows/{workflow.id}/run", json={"conversationIds": ids})
    assert caught.value.status_code == 400
    assert caught.value.errors[0].path == "conversationIds"


def test_automatic_and_inactive_workflows_and_other_mailboxes_are_refused(sb, client):
    mailboxes = sorted(sb.store.mailboxes)
    automatic = manual_workflow(sb, "Auto-tag VIP")
    inactive = manual_workflow(sb, "Old triage (off)")
    ids = conversations_of(sb, mailboxes[0], 1)
    for workflow in (automatic, inactive):
        with pytest.raises(ValidationError):
            client.workflows.run(workflow.id, ids)
    other = conversations_of(sb, mailboxes[1], 1)
    with pytest.raises(ValidationError) as caught:
        client.workflows.run(manual_workflow(sb).id, other)
    assert "mailbox" in caught.value.errors[0].message


def test_user_status_set_and_read(sb, client):
    user = min(sb.store.users)
    client.user_statuses.set(user, "away")
    assert client.user_statuses.get(user)["email"]["status"] == "away"
    listed = {s["userId"]: s for s in client.user_statuses.list()}
    assert listed[user]["email"]["status"] == "away" and len(listed) == len(sb.store.users)
    with pytest.raises(ValidationError):
        client.user_statuses.set(user, "available")  # the value before 2026-01-19
    client.user_statuses.set(user, "active")


def test_the_demo_seed_carries_the_toolkit(sb, client):
    from helpscout_integration.sandbox.scheduling import book_for as scheduling_book

    snoozed = sorted(scheduling_book(sb.store).snoozes)
    assert len(snoozed) == 3  # (other tests here may close them: read them one by one)
    assert all("snooze" in client.conversations.get(cid, embed=None) for cid in snoozed)
    assert any(w["type"] == "manual" for w in client.workflows.list())
    assert client.saved_replies.list(min(sb.store.mailboxes))
    from helpscout_integration.sandbox.attachment_files import book_for

    states = {f.state for f in book_for(sb.store).files.values()}
    assert states == {"valid", "malicious"}
