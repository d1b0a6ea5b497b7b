"""`payloads.kinds`: a body is judged by the fields it carries, never by its event name."""

from __future__ import annotations

import pytest

from helpscout_integration.exceptions import PayloadError
from helpscout_integration.payloads.kinds import (
    is_notification,
    kinds_of,
    require_deletion,
    require_kind,
)
from tests.webhooks import payloads


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        (payloads.conversation(1001), "conversation"),
        (payloads.customer(4321), "customer"),
        (payloads.tag(11), "tag"),
        (payloads.rating(), "rating"),
        # Sparse but real shapes: a customer with only an email, a chat without subject.
        ({"id": 1, "createdAt": "2024-01-01T00:00:00Z", "_embedded": {"emails": []}}, "customer"),
        ({"id": 2, "number": 7, "type": "chat", "status": "active"}, "conversation"),
    ],
)
def test_each_v2_object_is_its_own_kind_only(body, kind):
    assert kinds_of(body) == {kind}
    require_kind(body, kind, "test")


def test_a_bare_id_is_no_object():
    assert kinds_of({"id": 5}) == set()
    with pytest.raises(PayloadError, match="no fields of any Help Scout object"):
        require_kind({"id": 5}, "customer", "customer.updated")


def test_the_error_names_what_the_body_is():
    with pytest.raises(PayloadError, match="the fields of a conversation") as caught:
        require_kind(payloads.conversation(1001), "customer", "customer.updated")
    assert "not signed" in str(caught.value)


@pytest.mark.parametrize(
    "body", [{"id": 5}, {"id": 5, "url": "https://api.helpscout.net/v2/customers/5"}]
)
def test_deletion_notices_are_accepted_for_any_kind(body):
    for kind in ("conversation", "customer", "tag"):
        require_deletion(body, kind, f"{kind}.deleted")


def test_deletion_with_another_kinds_object_is_refused():
    require_deletion(payloads.customer(4321), "customer", "customer.deleted")
    with pytest.raises(PayloadError, match="conversation"):
        require_deletion(payloads.conversation(1001), "customer", "customer.deleted")
    with pytest.raises(PayloadError, match="tag"):
        require_deletion(payloads.tag(11), "conversation", "convo.deleted")


def test_notification_bodies():
    assert is_notification({"id": 1, "url": "https://api.helpscout.net/v2/conversations/1"})
    assert not is_notification({"id": 1})
    assert not is_notification(payloads.conversation(1001))


@pytest.mark.parametrize(
    ("fixture", "kind"),
    [
        ("conversation", "conversation"),
        ("customer", "customer"),
        ("tag", "tag"),
        ("rating_webhook", "rating"),
        ("rating_api", "rating"),
    ],
)
def test_help_scouts_documented_examples_are_their_own_kind(load, fixture, kind):
    assert kinds_of(load(fixture)) == {kind}
