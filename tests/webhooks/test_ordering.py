"""Customer replies delivered out of order, with bodies the sandbox made as Help Scout does
(a customer's thread moves customerWaitingSince, not userUpdatedAt)."""

from __future__ import annotations

import pytest

from helpscout_integration.models import Conversation, Thread
from helpscout_integration.sandbox import Sandbox

pytestmark = pytest.mark.django_db


def test_an_older_customer_reply_delivered_after_a_newer_one_keeps_the_newest_thread(deliver):
    with Sandbox() as sb:
        mailbox = sb.create_mailbox("Support")["id"]
        sb.create_user("Ana", "Agent")
        cid = sb.create_conversation(
            mailbox_id=mailbox, customer_email="vernon@example.com", subject="Cannot log in"
        )["id"]
        sb.clock.advance(60)
        sb.add_thread(cid, type="customer", text="Any news?")
        older = sb.get_conversation(cid)
        sb.clock.advance(60)
        sb.add_thread(cid, type="customer", text="Hello??")
        newer = sb.get_conversation(cid)
    assert older["userUpdatedAt"] == newer["userUpdatedAt"]  # as in Help Scout

    assert deliver("convo.customer.reply.created", newer).status_code == 200
    assert deliver("convo.customer.reply.created", older).status_code == 200

    mirrored = sorted(Thread.objects.filter(conversation_id=cid).values_list("id", flat=True))
    assert mirrored == sorted(t["id"] for t in newer["_embedded"]["threads"])
    assert len(mirrored) == 3
    row = Conversation.objects.get(pk=cid)
    assert row.data["customerWaitingSince"] == newer["customerWaitingSince"]
