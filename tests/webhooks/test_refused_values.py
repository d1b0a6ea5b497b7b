"""A signed body with an impossible time or a wrongly typed field fails its event, with
the field's path in the error, and leaves the mirror as it was (issue 27).

Before: `userUpdatedAt: 9999-12-31T23:59:59Z` was accepted under newest-wins and froze
the row for good; a name given as a list was stored as the text `['x']`, a subject given
as an object as `{'a': 1}`, and ids -5, 0 and 2**63 - 1 became rows.
"""

from __future__ import annotations

import pytest

from helpscout_integration.models import Conversation, Customer, WebhookEvent

from . import payloads

pytestmark = pytest.mark.django_db


def failed_event() -> WebhookEvent:
    event = WebhookEvent.objects.order_by("-pk").first()
    assert event.status == "failed"
    assert event.attempts == 1  # the body can never become valid: not retried
    return event


@pytest.fixture
def mirrored(deliver):
    deliver("convo.created", payloads.conversation(1001, subject="As it was"))
    deliver("customer.created", payloads.customer(4321, first="Vernon"))


def test_a_time_far_in_the_future_is_refused_and_the_row_untouched(deliver, mirrored):
    frozen = payloads.conversation(1001, subject="Frozen")
    frozen["userUpdatedAt"] = "9999-12-31T23:59:59Z"

    assert deliver("convo.status", frozen).status_code == 200

    assert "conversation.userUpdatedAt" in failed_event().error
    assert "more than a day ahead" in failed_event().error
    row = Conversation.objects.get(pk=1001)
    assert row.subject == "As it was" and row.hs_updated_at.year == 2024
    # A genuine later change still lands.
    deliver("convo.status", payloads.conversation(1001, minutes=5, subject="Later"))
    assert Conversation.objects.get(pk=1001).subject == "Later"


def test_a_future_thread_time_is_refused_with_its_path(deliver, mirrored):
    body = payloads.conversation(1001, minutes=5, subject="Thread from the future")
    body["_embedded"]["threads"][0]["createdAt"] = "9999-01-01T00:00:00Z"
    deliver("convo.customer.reply.created", body)
    assert "thread.createdAt" in failed_event().error
    assert Conversation.objects.get(pk=1001).subject == "As it was"


@pytest.mark.parametrize(
    ("change", "path", "kind"),
    [
        ({"subject": {"a": 1}}, "conversation.subject", "an object"),
        ({"status": ["closed"]}, "conversation.status", "a list"),
        ({"customFields": {"id": 1}}, "conversation.customFields", "a list"),
        ({"preview": 12}, "conversation.preview", "a number"),
    ],
)
def test_a_wrongly_typed_conversation_field_fails_the_event(deliver, mirrored, change, path, kind):
    body = {**payloads.conversation(1001, minutes=5), **change}
    deliver("convo.status", body)
    assert f"{path} must be" in failed_event().error and kind in failed_event().error
    assert Conversation.objects.get(pk=1001).subject == "As it was"


def test_a_name_given_as_a_list_is_refused(deliver, mirrored):
    deliver("customer.updated", {**payloads.customer(4321, minutes=5), "firstName": ["x"]})
    assert "customer.firstName must be a string, got a list" in failed_event().error
    assert Customer.objects.get(pk=4321).first_name == "Vernon"


@pytest.mark.parametrize("bad_id", [-5, 0, 2**63 - 1])
def test_an_impossible_id_never_becomes_a_row(deliver, bad_id):
    deliver("convo.created", payloads.conversation(bad_id, threads=[payloads.thread(5)]))
    deliver("customer.created", payloads.customer(bad_id))
    assert WebhookEvent.objects.filter(status="failed").count() == 2
    assert not Conversation.objects.exists()
    assert not Customer.objects.exists()
