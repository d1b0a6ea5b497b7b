"""parse_thread: one message, note or system line of a conversation."""

from datetime import UTC, datetime

import pytest

from helpscout_integration.exceptions import PayloadError
from helpscout_integration.payloads import parse_thread


def test_agent_reply(load):
    thread = load("conversation")["_embedded"]["threads"][1]
    parsed = parse_thread(thread)
    f = parsed.fields
    assert parsed.id == 9002
    assert (f["type"], f["status"], f["state"]) == ("message", "closed", "published")
    assert (f["created_by_type"], f["created_by_id"]) == ("user", 256)
    assert f["created_by_name"] == "Ana Agent"
    assert f["created_by_email"] == "ana@example.com"
    assert f["to"] == ["vbear@mywork.com"]
    assert f["created_at"] == datetime(2012, 7, 24, 20, 18, 33, tzinfo=UTC)
    # Everything but the body (stored once, in `body`) is kept as received.
    assert f["data"] == {k: v for k, v in thread.items() if k != "body"}
    assert f["body"] == thread["body"]


def test_line_item_action(load):
    parsed = parse_thread(load("conversation")["_embedded"]["threads"][2])
    assert parsed.fields["action_type"] == "changed-ticket-status"
    assert parsed.fields["action_text"] == "Ana marked as Closed"
    assert parsed.fields["body"] == ""
    assert parsed.customer is None


def test_address_objects_are_flattened():
    parsed = parse_thread({"id": 1, "type": "message", "cc": [{"email": "a@b.c"}, "d@e.f"]})
    assert parsed.fields["cc"] == ["a@b.c", "d@e.f"]


@pytest.mark.parametrize("payload", [None, {"id": 1}, {"type": "note"}, ["x"]])
def test_not_a_thread(payload):
    with pytest.raises(PayloadError, match="thread"):
        parse_thread(payload)
