"""parse_mailbox, parse_user, parse_tag, parse_rating."""

from datetime import UTC, datetime

import pytest

from helpscout_integration.exceptions import PayloadError
from helpscout_integration.payloads import parse_mailbox, parse_rating, parse_tag, parse_user


def test_mailbox(load):
    parsed = parse_mailbox(load("mailbox"))
    assert parsed.id == 85
    assert parsed.fields["name"] == "Support"
    assert parsed.fields["email"] == "support@example.com"
    assert parsed.hs_updated_at == datetime(2012, 7, 1, tzinfo=UTC)


def test_user(load):
    parsed = parse_user(load("user"))
    f = parsed.fields
    assert parsed.id == 256
    assert (f["first_name"], f["last_name"], f["email"]) == ("Ana", "Agent", "ana@example.com")
    assert (f["role"], f["type"], f["timezone"]) == ("owner", "user", "America/New_York")
    assert f["data"]["mention"] == "ana"


def test_tag_from_tags_endpoint(load):
    parsed = parse_tag(load("tag"))
    assert (parsed.id, parsed.fields["name"], parsed.fields["slug"]) == (11, "VIP", "vip")
    assert parsed.fields["color"] == "#929499"


def test_tag_as_a_conversation_lists_it():
    parsed = parse_tag({"id": 3, "tag": "Refund", "color": "#fff"})
    assert (parsed.fields["name"], parsed.fields["slug"]) == ("Refund", "refund")


def test_rating_from_webhook(load):
    parsed = parse_rating(load("rating_webhook"))
    assert parsed.id == 5434
    assert parsed.conversation_id == 1560011
    assert parsed.fields["thread_id"] == 3002084
    assert parsed.fields["rating"] == "great"
    assert parsed.customer.id == 449379
    assert parsed.mailbox_id == 1234
    assert parsed.hs_updated_at == datetime(2015, 4, 14, 20, 18, 33, tzinfo=UTC)


def test_rating_from_api(load):
    parsed = parse_rating(load("rating_api"))
    assert (parsed.conversation_id, parsed.customer.id, parsed.agent.id) == (8, 42, 256)
    assert parsed.fields["rating"] == "okay"


def test_rating_with_customer_id_zero_has_no_customer():
    """`"0"` is Help Scout's "nobody": no customer reference with a null id."""
    parsed = parse_rating({"id": 9, "rating": "great", "customerId": "0"})
    assert parsed.customer is None
    assert parsed.fields["customer_id"] is None


def test_rating_in_the_v2_shape():
    """v2: conversationId and mailboxId, `not_good`, and a createdAt without a zone."""
    parsed = parse_rating(
        {
            "id": 77,
            "rating": "not_good",
            "comments": "Slow",
            "conversationId": 901,
            "mailboxId": 12,
            "threadId": 5,
            "customer": {"id": 31, "firstName": "Ada", "email": "ada@example.com"},
            "user": {"id": 4, "type": "user"},
            "createdAt": "2024-05-01T10:20:30",
        }
    )
    assert (parsed.conversation_id, parsed.mailbox_id, parsed.agent.id) == (901, 12, 4)
    assert parsed.customer.id == 31
    assert parsed.fields["rating"] == "not_good"
    assert parsed.fields["created_at"] == datetime(2024, 5, 1, 10, 20, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("parser", "payload", "word"),
    [
        (parse_mailbox, {"name": "no id"}, "mailbox"),
        (parse_user, [], "user"),
        (parse_tag, {"id": 1}, "tag"),
        (parse_rating, {"id": 1}, "rating"),
    ],
)
def test_wrong_objects_raise(parser, payload, word):
    with pytest.raises(PayloadError, match=word):
        parser(payload)
