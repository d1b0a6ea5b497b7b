"""Values are checked against the property types Help Scout accepts before any request."""

import datetime as dt
from decimal import Decimal

import pytest

from helpscout_integration.customer_properties.values import (
    PropertyDefinition,
    infer_definition,
    validate_properties,
    validate_value,
)

TEXT = PropertyDefinition("notes", "Notes", "text")
NUMBER = PropertyDefinition("seats", "Seats", "number")
DATE = PropertyDefinition("since", "Since", "date")
URL = PropertyDefinition("profile", "Profile", "url")
PLAN = PropertyDefinition("plan", "Plan", "dropdown", (("id-1", "Free"), ("id-2", "Pro")))


@pytest.mark.parametrize(
    ("definition", "value", "sent"),
    [
        (TEXT, "hello", "hello"),
        (TEXT, 42, "42"),
        (TEXT, "x" * 255, "x" * 255),
        (NUMBER, 5, 5),
        (NUMBER, "12", 12),
        (NUMBER, 3.0, 3),
        (NUMBER, Decimal("7"), 7),
        (NUMBER, -(2**63), -(2**63)),
        (DATE, dt.date(2024, 1, 2), "2024-01-02"),
        (DATE, dt.datetime(2024, 1, 2, 15, 30, tzinfo=dt.UTC), "2024-01-02"),
        (DATE, "2024-01-02", "2024-01-02"),
        (DATE, "2024-01-02T10:00:00Z", "2024-01-02"),
        (URL, "https://example.com/a?b=c", "https://example.com/a?b=c"),
        (URL, "google.com", "google.com"),
        (PLAN, "Pro", "id-2"),
        (PLAN, "pro", "id-2"),
        (PLAN, "id-1", "id-1"),
    ],
)
def test_accepted_values_become_what_help_scout_expects(definition, value, sent):
    assert validate_value(definition, value) == (sent, None)


@pytest.mark.parametrize(
    ("definition", "value", "reason"),
    [
        (TEXT, "x" * 256, "at most 255"),
        (TEXT, ["a"], "must be text"),
        (TEXT, True, "must be text"),
        (NUMBER, "many", "whole number"),
        (NUMBER, 2.5, "whole number"),
        (NUMBER, True, "whole number"),
        (NUMBER, float("nan"), "whole number"),
        (NUMBER, 2**63, "out of range"),
        (DATE, "yesterday", "YYYY-MM-DD"),
        (DATE, "2024-02-30", "YYYY-MM-DD"),
        (URL, "not a url", "URL"),
        (URL, "javascript:alert(1)", "URL"),
        (PLAN, "Platinum", "Free, Pro"),
        (PropertyDefinition("x", "X", "colour"), "red", "does not know"),
    ],
)
def test_invalid_values_are_refused_with_a_reason(definition, value, reason):
    sent, problem = validate_value(definition, value)
    assert problem is not None and reason in problem


def test_validate_properties_splits_good_bad_unknown_and_removals():
    definitions = {d.slug: d for d in (TEXT, NUMBER, PLAN)}
    outcome = validate_properties(
        definitions, {"notes": "hi", "seats": "lots", "plan": None, "colour": "red"}
    )
    assert outcome.operations == [
        {"op": "replace", "path": "/notes", "value": "hi"},
        {"op": "remove", "path": "/plan"},
    ]
    assert set(outcome.invalid) == {"seats"}
    assert outcome.unknown == ["colour"]
    assert outcome.accepted == {"notes": "hi", "plan": None}


def test_definitions_are_read_from_help_scouts_list_shape():
    definition = PropertyDefinition.from_api(
        {"type": "dropdown", "slug": "plan", "name": "Plan", "options": [{"id": "a", "label": "A"}]}
    )
    assert definition == PropertyDefinition("plan", "Plan", "dropdown", (("a", "A"),))


@pytest.mark.parametrize(
    ("value", "kind"),
    [(3, "number"), (dt.date(2024, 1, 1), "date"), ("https://x.io", "url"), ("hi", "text")],
)
def test_missing_definitions_are_guessed_from_the_value(value, kind):
    assert infer_definition("my_prop", value).type == kind


@pytest.mark.parametrize("slug", ["email", "with space", "", "x" * 101])
def test_reserved_or_malformed_slugs_are_never_created(slug):
    assert infer_definition(slug, "v") is None
