"""End to end: the sandbox changes conversations, its signed webhooks reach our view on a
live server, and the mirror ends up matching the sandbox."""

from __future__ import annotations

import time

import pytest
from django.urls import reverse

from helpscout_integration.models import Conversation, Thread, WebhookEvent

pytestmark = pytest.mark.django_db(transaction=True)

SECRET = "sandbox-webhook-secret"


@pytest.fixture
def wired(helpscout_sandbox, live_server, settings):
    """The sandbox delivering every event to our endpoint on the live server."""
    settings.HELPSCOUT = {**settings.HELPSCOUT, "WEBHOOK_SECRET": [SECRET]}
    helpscout_sandbox.register_webhook(live_server.url + reverse("helpscout:webhook"), SECRET)
    return helpscout_sandbox


def settle(sandbox, timeout: float = 20.0) -> None:
    """Wait until the sandbox delivered everything and every event was processed."""
    deadline = time.monotonic() + timeout
    assert sandbox.wait_for_deliveries(timeout), "the sandbox could not deliver its webhooks"
    while WebhookEvent.objects.filter(status="received").exists():
        assert time.monotonic() < deadline, "events left unprocessed"
        time.sleep(0.05)


def assert_mirror_matches(sandbox, conversation_ids, deleted=()):
    for conversation_id in conversation_ids:
        remote = sandbox.get_conversation(conversation_id)
        local = Conversation.objects.get(pk=conversation_id)
        assert not local.is_deleted
        assert local.subject == remote["subject"]
        assert local.status == remote["status"]
        assert local.mailbox_id == remote["mailboxId"]
        assert local.assignee_id == ((remote.get("assignee") or {}).get("id"))
        assert sorted(local.tags.values_list("name", flat=True)) == sorted(
            t["tag"] for t in remote.get("tags", [])
        )
        assert sorted(Thread.objects.filter(conversation=local).values_list("id", flat=True)) == (
            sorted(t["id"] for t in remote["_embedded"]["threads"])
        )
    for conversation_id in deleted:
        assert Conversation.objects.get(pk=conversation_id).is_deleted


def next_second() -> None:
    """Help Scout's timestamps have whole seconds: changes to one conversation within the
    same second cannot be ordered by anyone, so reordering tests space them out."""
    time.sleep(1.0 - (time.time() % 1.0) + 0.01)


def exercise(sandbox, pause=lambda: None) -> tuple[list[int], list[int]]:
    """A morning in a help desk: new conversations, replies, notes, moves, tags, a merge,
    a deletion. `pause` runs between rounds; each round changes a conversation once."""
    support = sandbox.create_mailbox("Support")["id"]
    billing = sandbox.create_mailbox("Billing")["id"]
    agent = sandbox.create_user("Ana", "Agent")["id"]
    first = sandbox.create_conversation(
        mailbox_id=support, customer_email="vernon@example.com", subject="Cannot log in"
    )["id"]
    second = sandbox.create_conversation(
        mailbox_id=support,
        customer_email="ada@example.com",
        subject="Invoice copy",
        tags=["billing"],
    )["id"]
    third = sandbox.create_conversation(
        mailbox_id=support, customer_email="vernon@example.com", subject="Login again"
    )["id"]
    doomed = sandbox.create_conversation(
        mailbox_id=support, customer_email="spam@example.com", subject="Buy now"
    )["id"]
    pause()
    sandbox.update_conversation(first, assignee_id=agent, status="pending")
    sandbox.update_conversation(second, mailbox_id=billing, tags=["billing", "vip"])
    pause()
    sandbox.add_thread(first, type="reply", text="Try resetting your password.", user_id=agent)
    sandbox.update_conversation(second, status="closed", subject="Invoice copy (sent)")
    pause()
    sandbox.add_thread(first, type="customer", text="That worked, thanks!")
    sandbox.delete_conversation(doomed)
    pause()
    sandbox.add_thread(first, type="note", text="Known SSO issue.", user_id=agent)
    pause()
    sandbox.merge_conversations(third, first)
    return [first, second], [third, doomed]


def test_sandbox_changes_reach_the_mirror(wired):
    alive, gone = exercise(wired)
    settle(wired)
    assert_mirror_matches(wired, alive, deleted=gone)
    assert Conversation.objects.get(pk=gone[0]).merged_into_id == alive[0]
    events = WebhookEvent.objects.all()
    assert events.count() == len(wired.webhook_deliveries)
    assert set(events.values_list("status", flat=True)) == {"processed"}
    assert all(event.signature_valid for event in events)


def overtaken_conversations(sandbox) -> set[int]:
    """Conversations whose last delivery to take effect was not their newest version: a
    mirror that let the last delivery win would end wrong for each of them. (A repeat of
    an (event, body) already received is ignored as a duplicate, so only first arrivals
    count.)"""
    arrived = sorted(
        (d for d in sandbox.webhook_deliveries if d.delivered_order is not None),
        key=lambda d: d.delivered_order,
    )
    seen: set[tuple[str, bytes]] = set()
    last: dict[int, bytes] = {}
    newest: dict[int, tuple[int, bytes]] = {}
    for delivery in arrived:
        if not delivery.event.startswith("convo.") or delivery.event == "convo.deleted":
            continue
        conversation_id = delivery.payload["id"]
        if delivery.id > newest.get(conversation_id, (0, b""))[0]:
            newest[conversation_id] = (delivery.id, delivery.body)
        if (delivery.event, delivery.body) not in seen:
            seen.add((delivery.event, delivery.body))
            last[conversation_id] = delivery.body
    return {cid for cid, body in last.items() if body != newest[cid][1]}


def test_duplicated_and_shuffled_deliveries_converge(wired):
    """Help Scout retries failed deliveries with growing delays, so an older version of a
    conversation can arrive after a newer one; the mirror must still end right."""
    wired.webhook_options(duplicate=True, shuffle=True, seed=32)
    alive, gone = exercise(wired, pause=next_second)
    settle(wired)
    # The stream really was out of order where it matters: without "newest wins" the
    # mirror would end on an older version of these conversations.
    assert overtaken_conversations(wired) & set(alive)
    assert_mirror_matches(wired, alive, deleted=gone)
    # Each duplicate is counted on its first delivery's row, not stored again.
    assert WebhookEvent.objects.filter(deliveries__gt=1).exists()
    assert sum(WebhookEvent.objects.values_list("deliveries", flat=True)) == len(
        wired.webhook_deliveries
    )
    assert not WebhookEvent.objects.filter(status="failed").exists()


def test_a_rating_in_the_sandbox_reaches_the_mirror_in_the_v2_shape(wired):
    from helpscout_integration.models import SatisfactionRating

    user_id = wired.create_user("Ana", "Agent", "ana@example.com")["id"]
    convo = wired.create_conversation(subject="Rate me")
    wired.add_thread(convo["id"], type="reply", text="Fixed", user_id=user_id)
    sent = wired.rate_conversation(convo["id"], "not_good", "Slow")
    settle(wired)

    assert sent["createdAt"] and not sent["createdAt"].endswith("Z")  # naive, UTC
    stored = SatisfactionRating.objects.get(pk=sent["id"])
    assert (stored.rating, stored.comments) == ("not_good", "Slow")
    assert stored.conversation_id == convo["id"] and stored.agent_id == user_id
    assert stored.data["mailboxId"] == convo["mailboxId"]
    assert WebhookEvent.objects.get(event_type="satisfaction.ratings").status == "processed"


@pytest.mark.parametrize("merged_threads", [True, False], ids=["with-threads", "without"])
def test_a_shuffled_merge_chain_ends_as_help_scout_says(wired, merged_threads):
    """Three merges in a chain (each survivor the next one's source), delivered shuffled
    and held back at random, with or without the merged threads in the bodies: every
    source ends merged into the survivor Help Scout names, the last survivor live."""
    wired.webhook_options(shuffle=True, seed=27, merged_threads=merged_threads)
    q, r, s, t = (
        wired.create_conversation(customer_email=f"{n}@example.com", subject=f"Case {n}")["id"]
        for n in "qrst"
    )
    next_second()
    wired.merge_conversations(q, r)
    wired.merge_conversations(r, s)
    wired.merge_conversations(s, t)
    settle(wired)

    assert_mirror_matches(wired, [t])
    for source, survivor in ((q, r), (r, s), (s, t)):
        row = Conversation.objects.get(pk=source)
        assert row.is_deleted and row.merged_into_id == survivor
    assert not WebhookEvent.objects.filter(status="failed").exists()
