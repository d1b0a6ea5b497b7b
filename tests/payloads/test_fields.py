"""payloads/_fields.py: the readers every parser shares, fast paths and slow paths alike."""

from datetime import UTC, datetime, timedelta, timezone

import pytest

from helpscout_integration.exceptions import PayloadError
from helpscout_integration.payloads._fields import (
    first_name,
    last_name,
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


@pytest.mark.parametrize(("value", "expected"), [("a", "a"), (None, ""), (12, "12")])
def test_text(value, expected):
    assert text(value) == expected


def test_names_read_nested_and_top_level_shapes():
    assert (first_name({"first": "Ann"}), last_name({"last": "Lee"})) == ("Ann", "Lee")
    assert (first_name({"firstName": "Bo"}), last_name({"lastName": "Ng"})) == ("Bo", "Ng")
    assert first_name({"first": None, "firstName": "Cy"}) == "Cy"
    assert (first_name({}), last_name({})) == ("", "")
