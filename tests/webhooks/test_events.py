"""Every documented event type, through the view, on Help Scout-shaped bodies."""

from __future__ import annotations

import pytest

from helpscout_integration.models import (
    Agent,
    Conversation,
    Customer,
    Mailbox,
    SatisfactionRating,
    Tag,
    Thread,
    WebhookEvent,
)
from helpscout_integration.webhooks.handlers import CONVERSATION_EVENTS, HANDLERS

from . import payloads
from .conftest import API

pytestmark = pytest.mark.django_db


def test_every_documented_event_has_a_handler():
    documented = {
        *CONVERSATION_EVENTS,
        "convo.deleted",
        "customer.created",
        "customer.updated",
        "customer.deleted",
        "satisfaction.ratings",
        "beacon.chat.created",
        "beacon.chat.customer.replied",
        "tag.created",
        "tag.updated",
        "tag.deleted",
        "message.survey.response.received",
        "convo.ai-answers.created",
        "user.status.changed",  # Help Scout changelog, 2026-02-06
    }
    assert documented == set(HANDLERS)
    assert len(CONVERSATION_EVENTS) == 10


def test_conversation_created_mirrors_everything_it_carries(deliver):
    """Placeholders for mailbox, agent and customer; threads and tags from the payload."""
    body = payloads.conversation(
        1001,
        assignee=payloads.AGENT_REF,
        tags=[(11, "vip"), (12, "billing")],
        threads=[payloads.thread(10011), payloads.thread(10012, type="message", minutes=3)],
    )
    assert deliver("convo.created", body).status_code == 200
    conversation = Conversation.objects.get(pk=1001)
    assert conversation.subject == "I need help!"
    assert conversation.mailbox_id == 85 and Mailbox.objects.get(pk=85).is_placeholder
    assert conversation.assignee_id == 256 and Agent.objects.filter(pk=256).exists()
    assert conversation.customer_id == 4321 and Customer.objects.filter(pk=4321).exists()
    assert sorted(conversation.tags.values_list("id", flat=True)) == [11, 12]
    assert sorted(Thread.objects.filter(conversation_id=1001).values_list("id", flat=True)) == [
        10011,
        10012,
    ]
    assert WebhookEvent.objects.get().status == "processed"


@pytest.mark.parametrize(
    ("event_type", "change", "check"),
    [
        ("convo.assigned", {"assignee": payloads.AGENT_REF}, lambda c: c.assignee_id == 256),
        ("convo.moved", {"mailbox_id": 99}, lambda c: c.mailbox_id == 99),
        ("convo.status", {"status": "closed"}, lambda c: c.status == "closed"),
        (
            "convo.tags",
            {"tags": [(13, "refund")]},
            lambda c: list(c.tags.values_list("id", flat=True)) == [13],
        ),
        (
            "convo.custom-fields",
            {"custom_fields": [{"id": 8, "name": "Plan", "value": "7", "text": "Paid"}]},
            lambda c: c.data["customFields"][0]["text"] == "Paid",
        ),
        (
            "convo.customer.reply.created",
            {"threads": [payloads.thread(10011), payloads.thread(10013, minutes=4)]},
            lambda c: c.threads.count() == 2,
        ),
        (
            "convo.agent.reply.created",
            {"threads": [payloads.thread(10011), payloads.thread(10014, type="message")]},
            lambda c: c.threads.filter(type="message").count() == 1,
        ),
        (
            "convo.note.created",
            {"threads": [payloads.thread(10011), payloads.thread(10015, type="note")]},
            lambda c: c.threads.filter(type="note").count() == 1,
        ),
    ],
)
def test_conversation_events_update_the_mirror(deliver, event_type, change, check):
    assert deliver("convo.created", payloads.conversation(1001)).status_code == 200
    assert deliver(event_type, payloads.conversation(1001, minutes=5, **change)).status_code == 200
    assert check(Conversation.objects.get(pk=1001))
    assert WebhookEvent.objects.get(event_type=event_type).status == "processed"


def test_conversation_merged(deliver):
    deliver("convo.created", payloads.conversation(1001))
    merged = payloads.conversation(1002, minutes=5, status="closed")
    merged["_links"]["mergedInto"] = {"href": "https://api.helpscout.net/v2/conversations/1001"}
    assert deliver("convo.merged", merged).status_code == 200
    assert Conversation.objects.get(pk=1002).merged_into_id == 1001
    assert WebhookEvent.objects.get(event_type="convo.merged").status == "processed"


def test_conversation_deleted_is_marked_not_dropped(deliver, api_settings):
    api_settings.get(f"{API}/conversations/1001").respond(404, json={"message": "Not found"})
    deliver("convo.created", payloads.conversation(1001))
    assert deliver("convo.deleted", {"id": 1001}).status_code == 200
    conversation = Conversation.objects.get(pk=1001)
    assert conversation.is_deleted
    assert conversation.threads.count() == 1
    assert WebhookEvent.objects.get(event_type="convo.deleted").resource_id == 1001


def test_deletion_without_id_fails_without_retry(deliver):
    deliver("convo.deleted", {"foo": 1})
    event = WebhookEvent.objects.get()
    assert event.status == "failed"
    assert "id" in event.error
    assert event.attempts == 1


def test_customer_events(deliver, api_settings):
    api_settings.get(f"{API}/customers/4321").respond(404, json={"message": "Not found"})
    deliver("customer.created", payloads.customer(4321, first="Vernon"))
    assert Customer.objects.get(pk=4321).first_name == "Vernon"
    deliver("customer.updated", payloads.customer(4321, first="Vern", minutes=3))
    assert Customer.objects.get(pk=4321).first_name == "Vern"
    deliver("customer.deleted", {"id": 4321})
    assert Customer.objects.get(pk=4321).is_deleted
    assert set(WebhookEvent.objects.values_list("status", flat=True)) == {"processed"}


def test_tag_events(deliver, api_settings):
    api_settings.get(f"{API}/tags/11").respond(404, json={"message": "Not found"})
    deliver("tag.created", payloads.tag(11, name="vip"))
    deliver("tag.updated", payloads.tag(11, name="VIP customers", minutes=2))
    assert Tag.objects.get(pk=11).name == "VIP customers"
    deliver("tag.deleted", {"id": 11})
    assert not Tag.objects.filter(pk=11).exists()
    assert set(WebhookEvent.objects.values_list("status", flat=True)) == {"processed"}


def test_satisfaction_rating_stored(deliver):
    deliver("convo.created", payloads.conversation(1001))
    assert deliver("satisfaction.ratings", payloads.rating(5434, value="Great")).status_code == 200
    stored = SatisfactionRating.objects.get(pk=5434)
    assert stored.rating == "great"
    assert stored.conversation_id == 1001
    assert WebhookEvent.objects.get(event_type="satisfaction.ratings").status == "processed"


@pytest.mark.parametrize(
    ("event_type", "body"),
    [
        ("beacon.chat.created", payloads.beacon_chat()),
        ("beacon.chat.customer.replied", payloads.beacon_chat()),
        ("message.survey.response.received", payloads.survey_response()),
        # Body undocumented: recorded and announced whatever it holds, never `ignored`.
        ("convo.ai-answers.created", {"id": 1001, "answers": [{"text": "Try a restart"}]}),
    ],
)
def test_events_without_a_mirror_are_kept_and_announced(deliver, event_type, body):
    from helpscout_integration.signals import webhook_received

    seen = []

    def receiver(sender, event, **kwargs):
        seen.append(event.event_type)

    webhook_received.connect(receiver)
    try:
        assert deliver(event_type, body).status_code == 200
    finally:
        webhook_received.disconnect(receiver)
    assert WebhookEvent.objects.get().status == "processed"
    assert seen == [event_type]


def test_unknown_event_is_ignored_not_an_error(deliver):
    assert deliver("convo.teleported", payloads.conversation()).status_code == 200
    event = WebhookEvent.objects.get()
    assert event.status == "ignored"
    assert event.error == ""
    assert not Conversation.objects.exists()


def test_conversation_body_that_is_not_a_conversation_fails(deliver):
    deliver("convo.created", {"id": 1001})
    event = WebhookEvent.objects.get()
    assert event.status == "failed"
    assert "PayloadError" in event.error
    assert not Conversation.objects.filter(is_placeholder=False).exists()


def test_webhook_received_sent_after_processing(deliver):
    from helpscout_integration.signals import webhook_received

    seen = []

    def receiver(sender, event, **kwargs):
        # The mirror is already written when host code hears about the event.
        seen.append((event.status, Conversation.objects.filter(pk=1001).exists()))

    webhook_received.connect(receiver)
    try:
        deliver("convo.created", payloads.conversation(1001))
    finally:
        webhook_received.disconnect(receiver)
    assert seen == [("processed", True)]


def test_merge_announced_with_the_survivor_retires_the_source(deliver, api_settings):
    """Help Scout's `convo.merged` carries the surviving conversation with all threads;
    the source is retired once Help Scout confirms it (its Get answers 301)."""
    deliver("convo.created", payloads.conversation(1001, threads=[payloads.thread(10011)]))
    deliver("convo.created", payloads.conversation(1002, threads=[payloads.thread(10021)]))
    survivor = payloads.conversation(
        1001, minutes=5, threads=[payloads.thread(10011), payloads.thread(10021)]
    )
    api_settings.get(f"{API}/conversations/1002").respond(
        301, headers={"Location": f"{API}/conversations/1001"}
    )
    api_settings.get(f"{API}/conversations/1001").respond(200, json=survivor)
    assert deliver("convo.merged", survivor).status_code == 200
    assert WebhookEvent.objects.get(event_type="convo.merged").status == "processed"
    source = Conversation.objects.get(pk=1002)
    assert source.is_deleted and source.merged_into_id == 1001
    assert sorted(Thread.objects.filter(conversation_id=1001).values_list("id", flat=True)) == [
        10011,
        10021,
    ]
    assert not Conversation.objects.get(pk=1001).is_deleted


def test_notification_only_body_is_not_a_failure(deliver):
    """`notification: true` webhooks send {"id", "url"}; without API access nothing to
    fetch, but the event is not mistaken for a malformed conversation."""
    body = {"id": 1001, "url": "https://api.helpscout.net/v2/conversations/1001"}
    assert deliver("convo.status", body).status_code == 200
    event = WebhookEvent.objects.get()
    assert event.status == "processed"
    assert not Conversation.objects.exists()
