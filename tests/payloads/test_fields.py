"""payloads/_fields.py: the readers every parser shares, fast paths and slow paths alike."""

from datetime import UTC, datetime, timedelta, timezone

import pytest

from helpscout_integration.exceptions import PayloadError
from helpscout_integration.payloads._fields import (
    FUTURE_LIMIT,
    MAX_ID,
    first_name,
    items,
    last_name,
    obj,
    objects,
    optional_id,
    text,
    to_datetime,
    to_id,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-01-02T03:04:05Z", datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)),
        (" 2024-01-02T03:04:05Z ", datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)),
        ("2024-01-02T03:04:05", datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)),  # naive: UTC
        (
            "2024-01-02T05:04:05+02:00",
            datetime(2024, 1, 2, 5, 4, 5, tzinfo=timezone(timedelta(hours=2))),
        ),
        (datetime(2024, 1, 2, tzinfo=UTC), datetime(2024, 1, 2, tzinfo=UTC)),
        (None, None),
        ("", None),
    ],
)
def test_to_datetime_reads_what_help_scout_sends(value, expected):
    parsed = to_datetime(value, "t")
    assert parsed == expected
    assert parsed is None or parsed.tzinfo is not None


@pytest.mark.parametrize("value", ["yesterday", "2024-13-45T00:00:00Z", 12, ["2024-01-01"]])
def test_to_datetime_refuses_what_is_not_a_timestamp(value):
    with pytest.raises(PayloadError, match="createdAt"):
        to_datetime(value, "createdAt")


@pytest.mark.parametrize(("value", "expected"), [(5, 5), ("42", 42), (" 7 ", 7)])
def test_to_id_takes_numbers_and_digit_strings(value, expected):
    assert to_id(value, "id") == expected


@pytest.mark.parametrize("value", [True, False, "abc", None, 1.5])
def test_to_id_refuses_what_is_not_an_id(value):
    with pytest.raises(PayloadError, match="numeric id"):
        to_id(value, "id")


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0, None), ("0", None), (None, None), ("", None), (9, 9), ("9", 9), ({"id": 3}, 3)],
)
def test_optional_id_treats_zero_and_null_as_nobody(value, expected):
    assert optional_id(value, "assignee") == expected


def test_optional_id_refuses_a_boolean():
    with pytest.raises(PayloadError):
        optional_id(True, "assignee")


@pytest.mark.parametrize(("value", "expected"), [("a", "a"), (None, ""), ("", "")])
def test_text(value, expected):
    assert text(value, "conversation.subject") == expected


@pytest.mark.parametrize(
    ("value", "kind"),
    [(["x"], "a list"), ({"a": 1}, "an object"), (12, "a number"), (True, "a boolean")],
)
def test_text_refuses_other_json_types_naming_the_field(value, kind):
    """A list or an object was once stored as its Python text (`['x']`, `{'a': 1}`)."""
    with pytest.raises(PayloadError, match=f"conversation.subject must be a string, got {kind}"):
        text(value, "conversation.subject")


def test_names_read_nested_and_top_level_shapes():
    assert (first_name({"first": "Ann"}), last_name({"last": "Lee"})) == ("Ann", "Lee")
    assert (first_name({"firstName": "Bo"}), last_name({"lastName": "Ng"})) == ("Bo", "Ng")
    assert first_name({"first": None, "firstName": "Cy"}) == "Cy"
    assert (first_name({}), last_name({})) == ("", "")


@pytest.mark.parametrize("value", [-5, 0, "-5", 2**63 - 1, MAX_ID + 1, str(2**63 - 1)])
def test_to_id_refuses_ids_no_help_scout_object_has(value):
    """Ids are positive and at most 2**53 - 1 (see MAX_ID): -5, 0 and 2**63 - 1 once
    became rows."""
    with pytest.raises(PayloadError, match="conversation.id"):
        to_id(value, "conversation.id")


def test_to_id_takes_the_largest_id_allowed():
    assert to_id(MAX_ID, "conversation.id") == MAX_ID


@pytest.mark.parametrize("value", [-5, 2**63 - 1])
def test_optional_id_refuses_out_of_range_ids(value):
    with pytest.raises(PayloadError, match="conversation.assignee"):
        optional_id(value, "conversation.assignee")


def test_to_datetime_refuses_a_time_more_than_a_day_ahead():
    with pytest.raises(PayloadError, match=r"conversation\.userUpdatedAt .*more than a day ahead"):
        to_datetime("9999-12-31T23:59:59Z", "conversation.userUpdatedAt")
    soon = datetime.now(UTC) + FUTURE_LIMIT + timedelta(minutes=5)
    with pytest.raises(PayloadError, match="ahead"):
        to_datetime(soon.isoformat(), "t")


def test_to_datetime_accepts_a_little_clock_skew():
    skewed = (datetime.now(UTC) + timedelta(hours=1)).replace(microsecond=0)
    assert to_datetime(skewed.isoformat(), "t") == skewed


@pytest.mark.parametrize(
    ("reader", "value", "message"),
    [
        (obj, [1], "thread.action must be an object, got a list"),
        (items, "x", "thread.action must be a list, got a string"),
        (objects, [{}, 3], r"thread.action\[1\] must be an object, got a number"),
    ],
)
def test_nested_readers_refuse_the_wrong_json_type(reader, value, message):
    with pytest.raises(PayloadError, match=message):
        reader(value, "thread.action")
    assert reader(None, "thread.action") in ({}, [])
