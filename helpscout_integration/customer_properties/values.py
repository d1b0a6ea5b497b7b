"""Customer property values checked against Help Scout's property definitions.

Help Scout accepts five property types (text, number, date, url, dropdown) and rejects a
whole PATCH when one value is wrong; this module finds the wrong values first, so a push
sends the good ones and reports the bad ones per user. Pure functions: no HTTP, no ORM.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

__all__ = [
    "PROPERTY_TYPES",
    "PropertyDefinition",
    "ValidationOutcome",
    "validate_value",
    "validate_properties",
]

PROPERTY_TYPES = ("text", "number", "date", "url", "dropdown")
TEXT_MAX_LENGTH = 255  # Help Scout: "String (max of 255 characters)"
NUMBER_MIN, NUMBER_MAX = -(2**63), 2**63 - 1  # Help Scout: a signed 64-bit integer
SLUG_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,100}$")
RESERVED_SLUGS = frozenset({"email", "name", "company", "jobTitle"})
_URL_PATTERN = re.compile(r"^(https?://)?[^\s/:?#]+\.[^\s/:?#]+(:\d+)?([/?#]\S*)?$", re.I)


@dataclass(frozen=True)
class PropertyDefinition:
    """One customer property definition: `slug`, `name`, `type` and dropdown options.

    `options` holds `(id, label)` pairs in Help Scout's order.
    """

    slug: str
    name: str
    type: str
    options: tuple[tuple[str, str], ...] = ()

    @classmethod
    def from_api(cls, item: dict) -> PropertyDefinition:
        """Build from one item of `GET /customer-properties`."""
        options = tuple(
            (str(option.get("id", "")), str(option.get("label", "")))
            for option in item.get("options") or ()
        )
        return cls(
            slug=str(item.get("slug", "")),
            name=str(item.get("name") or item.get("slug", "")),
            type=str(item.get("type", "text")),
            options=options,
        )


@dataclass
class ValidationOutcome:
    """What a set of values turns into: PATCH operations and per-slug problems."""

    operations: list[dict] = field(default_factory=list)
    invalid: dict[str, str] = field(default_factory=dict)  # slug -> why
    unknown: list[str] = field(default_factory=list)  # slugs with no definition

    @property
    def accepted(self) -> dict[str, Any]:
        return {op["path"][1:]: op.get("value") for op in self.operations}


def _text(value: Any) -> tuple[Any, str | None]:
    if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
        return value, "must be text"
    text = str(value)
    if len(text) > TEXT_MAX_LENGTH:
        return value, f"must be at most {TEXT_MAX_LENGTH} characters (got {len(text)})"
    return text, None


def _number(value: Any) -> tuple[Any, str | None]:
    if isinstance(value, bool):
        return value, "must be a whole number"
    if isinstance(value, str):
        try:
            value_num: Any = Decimal(value.strip())
        except ArithmeticError:
            return value, "must be a whole number"
    elif isinstance(value, int | float | Decimal):
        value_num = value
    else:
        return value, "must be a whole number"
    if isinstance(value_num, float) and not math.isfinite(value_num):
        return value, "must be a whole number"
    if isinstance(value_num, Decimal) and not value_num.is_finite():
        return value, "must be a whole number"
    if value_num != int(value_num):
        return value, "must be a whole number (Help Scout stores integers)"
    number = int(value_num)
    if not NUMBER_MIN <= number <= NUMBER_MAX:
        return value, "is out of range for a 64-bit integer"
    return number, None


def _date(value: Any) -> tuple[Any, str | None]:
    if isinstance(value, dt.datetime):
        return value.date().isoformat(), None
    if isinstance(value, dt.date):
        return value.isoformat(), None
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()[:10]).isoformat(), None
        except ValueError:
            pass
    return value, "must be a date (YYYY-MM-DD)"


def _url(value: Any) -> tuple[Any, str | None]:
    if isinstance(value, str) and _URL_PATTERN.match(value.strip()):
        return value.strip(), None
    return value, "must be a URL"


def _dropdown(value: Any, definition: PropertyDefinition) -> tuple[Any, str | None]:
    """An option id or label becomes the option id; label matching ignores case."""
    if isinstance(value, str | int) and not isinstance(value, bool):
        wanted = str(value).strip()
        for option_id, _label in definition.options:
            if wanted == option_id:
                return option_id, None
        for option_id, label in definition.options:
            if wanted.casefold() == label.casefold():
                return option_id, None
    labels = ", ".join(label for _, label in definition.options) or "none defined"
    return value, f"must be one of the dropdown's options ({labels})"


def validate_value(definition: PropertyDefinition, value: Any) -> tuple[Any, str | None]:
    """`(value to send, None)` when Help Scout accepts `value`, else `(value, reason)`."""
    if definition.type == "text":
        return _text(value)
    if definition.type == "number":
        return _number(value)
    if definition.type == "date":
        return _date(value)
    if definition.type == "url":
        return _url(value)
    if definition.type == "dropdown":
        return _dropdown(value, definition)
    return value, f"has a property type this app does not know ({definition.type!r})"


def validate_properties(
    definitions: dict[str, PropertyDefinition], values: dict[str, Any]
) -> ValidationOutcome:
    """Split `values` (slug -> value) into PATCH operations and problems.

    `None` removes the value in Help Scout. Slugs without a definition are listed in
    `unknown` and sent nowhere.
    """
    outcome = ValidationOutcome()
    for slug, value in values.items():
        definition = definitions.get(slug)
        if definition is None:
            outcome.unknown.append(slug)
            continue
        if value is None:
            outcome.operations.append({"op": "remove", "path": f"/{slug}"})
            continue
        cleaned, problem = validate_value(definition, value)
        if problem:
            outcome.invalid[slug] = problem
        else:
            outcome.operations.append({"op": "replace", "path": f"/{slug}", "value": cleaned})
    return outcome


def infer_definition(slug: str, value: Any) -> PropertyDefinition | None:
    """A definition to create for an unknown slug, guessed from a value; None when the
    slug cannot be a Help Scout slug. Dropdowns are never guessed (their options are)."""
    if not SLUG_PATTERN.match(slug) or slug in RESERVED_SLUGS:
        return None
    if isinstance(value, bool):
        kind = "text"
    elif isinstance(value, int | Decimal) or (isinstance(value, float) and value.is_integer()):
        kind = "number"
    elif isinstance(value, dt.date):
        kind = "date"
    elif isinstance(value, str) and value.startswith(("http://", "https://")):
        kind = "url"
    else:
        kind = "text"
    name = slug.replace("-", " ").replace("_", " ").strip().capitalize()
    return PropertyDefinition(slug=slug, name=name, type=kind)
