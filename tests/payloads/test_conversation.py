"""parse_conversation: a v2 Conversation object becomes Conversation fields and references."""

from datetime import UTC, datetime

import pytest

from helpscout_integration.exceptions import PayloadError
from helpscout_integration.payloads import (
    PersonRef,
    TagRef,
    modification_time,
    parse_conversation,
)


def test_documented_conversation_fields(load):
    parsed = parse_conversation(load("conversation"))
    f = parsed.fields
    assert parsed.id == 2391938111
    assert f["number"] == 349
    assert f["subject"] == "I need help!"
    assert (f["status"], f["state"], f["type"]) == ("closed", "published", "email")
    assert parsed.mailbox_id == f["mailbox_id"] == 85
    assert f["folder_id"] == 1234
    assert f["thread_count"] == 2
    assert (f["source_type"], f["source_via"]) == ("email", "customer")
    assert f["custom_fields"] == [{"id": 8, "name": "Account Type", "value": "7", "text": "Paid"}]
    assert f["created_at"] == datetime(2012, 7, 23, 12, 34, 12, tzinfo=UTC)
    assert f["closed_at"] == datetime(2012, 7, 24, 20, 18, 33, tzinfo=UTC)
    assert f["customer_waiting_since"] == datetime(2012, 7, 24, 20, 18, 33, tzinfo=UTC)
    assert f["is_deleted"] is False and f["deleted_at"] is None


def test_references_carry_what_a_placeholder_needs(load):
    parsed = parse_conversation(load("conversation"))
    assert parsed.customer == PersonRef(4321, "Vernon", "Bear", "vbear@mywork.com", "customer")
    assert parsed.fields["customer_id"] == 4321
    assert parsed.assignee == PersonRef(256, "Ana", "Agent", "ana@example.com", "user")
    assert parsed.fields["assignee_id"] == 256
    assert parsed.tags == [TagRef(11, "vip", "#929499"), TagRef(12, "billing", "#ff0000")]


def test_version_is_the_latest_time_the_payload_carries(load):
    """The fixture's newest thread (20:18:34) is a second after its userUpdatedAt."""
    parsed = parse_conversation(load("conversation"))
    newest_thread = datetime(2012, 7, 24, 20, 18, 34, tzinfo=UTC)
    assert parsed.hs_updated_at == parsed.fields["hs_updated_at"] == newest_thread
    # `updated_at` stays Help Scout's userUpdatedAt: the last change by a user.
    assert parsed.fields["updated_at"] == datetime(2012, 7, 24, 20, 18, 33, tzinfo=UTC)


@pytest.mark.parametrize(
    ("times", "expected"),
    [
        ({"updatedAt": "2020-01-02T00:00:00Z"}, datetime(2020, 1, 2, tzinfo=UTC)),
        ({"modifiedAt": "2020-01-03T00:00:00Z"}, datetime(2020, 1, 3, tzinfo=UTC)),
        ({"createdAt": "2020-01-01T00:00:00Z"}, datetime(2020, 1, 1, tzinfo=UTC)),
        # The latest modification time wins, whichever key carries it.
        (
            {"userUpdatedAt": "2020-01-02T00:00:00Z", "modifiedAt": "2020-01-05T00:00:00Z"},
            datetime(2020, 1, 5, tzinfo=UTC),
        ),
        # A customer reply moves customerWaitingSince, not userUpdatedAt.
        (
            {
                "userUpdatedAt": "2020-01-02T00:00:00Z",
                "customerWaitingSince": {"time": "2020-01-04T00:00:00Z"},
            },
            datetime(2020, 1, 4, tzinfo=UTC),
        ),
        (
            {"userUpdatedAt": "2020-01-02T00:00:00Z", "closedAt": "2020-01-06T00:00:00Z"},
            datetime(2020, 1, 6, tzinfo=UTC),
        ),
        (
            {
                "userUpdatedAt": "2020-01-02T00:00:00Z",
                "_embedded": {
                    "threads": [
                        {"id": 2, "type": "customer", "createdAt": "2020-01-07T00:00:00Z"},
                        {"id": 1, "type": "customer", "createdAt": "2020-01-01T00:00:00Z"},
                    ]
                },
            },
            datetime(2020, 1, 7, tzinfo=UTC),
        ),
        ({}, None),
    ],
)
def test_modification_time_fallbacks(times, expected):
    payload = {"id": 1, "number": 1, "subject": "x", **times}
    assert parse_conversation(payload).hs_updated_at == expected
    assert modification_time(payload) == expected  # what sync checkpoints use


def test_a_payload_is_complete_only_when_it_embeds_every_thread(load):
    data = load("conversation")
    assert parse_conversation(data).complete  # three embedded, the count says two
    assert not parse_conversation({**data, "threads": 4}).complete
    without_count = {k: v for k, v in data.items() if k != "threads"}
    assert not parse_conversation(without_count).complete
    assert not parse_conversation({**data, "_embedded": {}}).complete


def test_embedded_threads_are_parsed_and_not_duplicated_in_data(load):
    parsed = parse_conversation(load("conversation"))
    assert [t.id for t in parsed.threads] == [9001, 9002, 9003]
    assert "threads" not in parsed.fields["data"]["_embedded"]
    customer_thread = parsed.threads[0].fields
    assert customer_thread["body"].startswith("<p>Hello")
    assert customer_thread["customer_id"] == 4321
    assert customer_thread["attachments"][0]["filename"] == "log.txt"


def test_unknown_fields_are_kept_in_data(load):
    parsed = parse_conversation(load("conversation"))
    assert parsed.fields["data"]["somethingNew"] == {"added": "after this was written"}
    assert parsed.fields["data"]["snooze"]["snoozedBy"] == 256


def test_minimal_conversation_is_fine():
    parsed = parse_conversation({"id": "77", "status": "active"})
    assert parsed.id == 77
    assert parsed.mailbox_id is None and parsed.customer is None and parsed.assignee is None
    assert parsed.threads is None  # no threads in the payload: leave stored threads alone
    assert parsed.tags is None  # no tags key: leave stored tags alone
    assert parsed.fields["subject"] == "" and parsed.fields["thread_count"] == 0


def test_empty_tag_list_means_no_tags():
    assert parse_conversation({"id": 1, "status": "active", "tags": []}).tags == []


def test_deleted_state_marks_deleted():
    parsed = parse_conversation(
        {"id": 5, "status": "closed", "state": "deleted", "userUpdatedAt": "2021-05-01T10:00:00Z"}
    )
    assert parsed.is_deleted and parsed.fields["is_deleted"]
    assert parsed.fields["deleted_at"] == datetime(2021, 5, 1, 10, tzinfo=UTC)


@pytest.mark.parametrize(
    "merged",
    [
        {"mergedInto": 900},
        {"mergedInto": {"id": 900}},
        {"mergedIntoId": "900"},
        {"_links": {"mergedInto": {"href": "https://api.helpscout.net/v2/conversations/900"}}},
    ],
)
def test_merge_survivor_is_read(merged):
    assert parse_conversation({"id": 5, "status": "closed", **merged}).merged_into_id == 900


def test_nobody_assigned_is_none():
    payload = {"id": 5, "status": "active", "assignee": {"id": 0}, "primaryCustomer": None}
    parsed = parse_conversation(payload)
    assert parsed.assignee is None and parsed.fields["assignee_id"] is None


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ([1, 2], "got list"),
        ("conversation", "got str"),
        ({"number": 3, "subject": "no id"}, "missing 'id'"),
        ({"id": 3}, "deletion notice"),
        ({"id": "abc", "status": "active"}, "numeric id"),
        ({"id": 3, "status": "active", "createdAt": "yesterday"}, "ISO 8601"),
        ({"id": 3, "status": "active", "_embedded": {"threads": [{"body": "x"}]}}, "thread"),
    ],
)
def test_not_a_conversation_is_a_clear_error(payload, message):
    with pytest.raises(PayloadError, match=message):
        parse_conversation(payload)


def test_parsing_does_not_mutate_the_payload(load):
    payload = load("conversation")
    parse_conversation(payload)
    assert len(payload["_embedded"]["threads"]) == 3
