"""Organization property values as Help Scout wants them, and definitions for new slugs.

Help Scout stores every organization property value as a string (reference
helpscout-api-2026.md section 1): a number as `"100"`, a date as `"2024-01-15"`, a URL or
text as is, a dropdown as the exact label of one of its options. `to_wire` converts a
Python value for a definition or says why it cannot; `infer_definition` picks the type
of a slug Help Scout does not have yet:

- `bool` -> dropdown with options "Yes" and "No";
- `int`, `float`, `Decimal` -> number;
- `date`, `datetime` -> date;
- a string starting with `http://` or `https://` -> url;
- anything else -> text.

Pure: no HTTP, no ORM.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

from ..payloads import PropertyDefinition

MAX_DEFINITIONS = 50
YES, NO = "Yes", "No"
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


@dataclass
class NewDefinition:
    """A definition to create: the body of `POST /organizations/properties`."""

    slug: str
    name: str
    type: str
    options: list[str] = field(default_factory=list)

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"type": self.type, "slug": self.slug, "name": self.name}
        if self.type == "dropdown":
            body["options"] = [{"label": label} for label in self.options]
        return body

    def as_definition(self) -> PropertyDefinition:
        return PropertyDefinition(self.slug, self.name, self.type, list(self.options))


def title(slug: str) -> str:
    """`plan-tier` / `plan_tier` -> "Plan tier" (a definition's name, at most 100 chars)."""
    words = re.sub(r"[-_]+", " ", slug).strip()
    return (words[:1].upper() + words[1:])[:100] or slug[:100]


def infer_definition(slug: str, value: Any) -> NewDefinition:
    if isinstance(value, bool):
        return NewDefinition(slug, title(slug), "dropdown", [YES, NO])
    if isinstance(value, int | float | Decimal):
        return NewDefinition(slug, title(slug), "number")
    if isinstance(value, date):  # datetime is a date too
        return NewDefinition(slug, title(slug), "date")
    if isinstance(value, str) and value.strip().lower().startswith(("http://", "https://")):
        return NewDefinition(slug, title(slug), "url")
    return NewDefinition(slug, title(slug), "text")


def _number(value: Any) -> str:
    if isinstance(value, bool):
        raise ValueError("is a boolean, not a number")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float | Decimal):
        if isinstance(value, float) and value != value:  # NaN
            raise ValueError("is not a number")
        text = format(Decimal(str(value)).normalize(), "f")
        return text if text not in ("-0",) else "0"
    if isinstance(value, str) and _NUMBER.match(value.strip()):
        return value.strip()
    raise ValueError(f"is not a number ({type(value).__name__})")


def _date(value: Any) -> str:
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip()).isoformat()
        except ValueError:
            pass
    raise ValueError("is not a date (give a date or 'YYYY-MM-DD')")


def _url(value: Any) -> str:
    if isinstance(value, str):
        parts = urlsplit(value.strip())
        if parts.scheme in ("http", "https") and parts.netloc:
            return value.strip()
    raise ValueError("is not an http(s) URL")


def _dropdown(definition: PropertyDefinition, value: Any) -> str:
    if isinstance(value, bool):
        value = YES if value else NO
    if isinstance(value, str):
        for label in definition.options:
            if label == value:
                return label
        for label in definition.options:  # the label Help Scout wants, exactly
            if label.casefold() == value.strip().casefold():
                return label
    options = ", ".join(repr(o) for o in definition.options[:10])
    raise ValueError(f"is not one of the dropdown's options ({options})")


def to_wire(definition: PropertyDefinition, value: Any) -> str:
    """The string Help Scout stores for `value`; `ValueError` says why it cannot be one."""
    kind = definition.type
    if kind == "number":
        return _number(value)
    if kind == "date":
        return _date(value)
    if kind == "url":
        return _url(value)
    if kind == "dropdown":
        return _dropdown(definition, value)
    if isinstance(value, dict | list | tuple | set):
        raise ValueError("is a collection, not text")
    return value if isinstance(value, str) else str(value)
