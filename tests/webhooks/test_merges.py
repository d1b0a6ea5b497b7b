"""Webhook follow-up fetches of a conversation Help Scout has merged (Get answers 301)."""

from __future__ import annotations

import pytest

from helpscout_integration.models import Conversation, WebhookEvent
from helpscout_integration.sync.upsert import upsert_conversations

from .conftest import SECRET

pytestmark = pytest.mark.django_db


@pytest.fixture
def sandboxed(deliver, helpscout_sandbox, settings):
    """Webhooks on, with the API pointed at a sandbox holding two conversations."""
    settings.HELPSCOUT = {**helpscout_sandbox.helpscout_settings(), "WEBHOOK_SECRET": [SECRET]}
    sb = helpscout_sandbox
    mailbox = sb.create_mailbox("Support")["id"]
    sb.create_user("Ana", "Agent")
    ids = [
        sb.create_conversation(
            mailbox_id=mailbox, customer_email=f"c{n}@example.com", subject=f"Case {n}"
        )["id"]
        for n in range(2)
    ]
    upsert_conversations([sb.get_conversation(i) for i in ids])
    return sb, ids


def test_a_notification_for_a_merged_conversation_records_the_merge(deliver, sandboxed):
    """A notification-only delivery makes us Get the conversation; by then it was merged."""
    sb, (source, survivor) = sandboxed
    sb.merge_conversations(source, survivor)
    body = {"id": source, "url": f"{sb.api_base_url}/conversations/{source}"}

    assert deliver("convo.status", body).status_code == 200

    assert WebhookEvent.objects.get().status == "processed"
    merged = Conversation.objects.get(pk=source)
    assert merged.is_deleted and merged.merged_into_id == survivor
    remote = sb.get_conversation(survivor)["_embedded"]["threads"]
    mirrored = Conversation.objects.get(pk=survivor)
    assert set(mirrored.threads.values_list("id", flat=True)) == {t["id"] for t in remote}
    assert sorted(t["type"] for t in remote) == ["customer", "customer", "lineitem"]


def test_the_followup_task_reports_the_merge(sandboxed):
    from helpscout_integration.webhooks.processing import fetch_conversation

    sb, (source, survivor) = sandboxed
    sb.merge_conversations(source, survivor)
    assert fetch_conversation.call(source) == "merged"
    assert Conversation.objects.get(pk=source).merged_into_id == survivor
