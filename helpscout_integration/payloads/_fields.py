"""Small readers shared by the payload parsers: ids, timestamps, nested references.

Pure functions over JSON values; they raise `PayloadError` for values that cannot be what
Help Scout sends, and never touch the database or the network.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from ..exceptions import PayloadError
from ..jsontypes import JSONArray, JSONObject


def require_object(payload: Any, kind: str, *, required: tuple[str, ...] = ("id",)) -> JSONObject:
    """Check that `payload` is a JSON object carrying the keys every `kind` has."""
    data: JSONObject
    if isinstance(payload, dict):
        data = payload
    elif isinstance(payload, Mapping):
        data = dict(payload)
    else:
        raise PayloadError(
            f"Expected a Help Scout {kind} object (a JSON object), got {type(payload).__name__}."
        )
    for key in required:
        if data.get(key) in (None, ""):
            missing = [k for k in required if data.get(k) in (None, "")]
            raise PayloadError(
                f"Not a Help Scout {kind}: missing {', '.join(repr(k) for k in missing)}."
            )
    # Returned as is (parsers never modify it); JSON objects decode to plain dicts.
    return data


def to_id(value: Any, what: str) -> int:
    """A Help Scout numeric id (ints, or digit strings as some payloads send them)."""
    if type(value) is int:  # the common case first (bool is not `int` here)
        return value
    if isinstance(value, bool):
        raise PayloadError(f"{what} must be a numeric id, got a boolean.")
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    raise PayloadError(f"{what} must be a numeric id, got {value!r:.40}.")


def optional_id(value: Any, what: str) -> int | None:
    """An id that may be absent, null or 0 (Help Scout's "nobody")."""
    if type(value) is int:  # the common case first
        return value or None
    if value in (None, "", 0, "0"):
        return None
    if isinstance(value, dict):
        return optional_id(value.get("id"), what)
    return to_id(value, what)


def to_datetime(value: Any, what: str) -> datetime | None:
    """An ISO 8601 timestamp (Help Scout sends UTC with a `Z`) as an aware datetime."""
    if isinstance(value, str) and value:
        try:
            parsed = datetime.fromisoformat(value)  # the common case: `...Z` as sent
        except ValueError:
            try:
                parsed = datetime.fromisoformat(value.strip())
            except ValueError:
                raise PayloadError(f"{what} is not an ISO 8601 timestamp: {value!r:.40}.") from None
    elif value is None or value == "":
        return None
    elif isinstance(value, datetime):
        parsed = value
    else:
        raise PayloadError(f"{what} must be an ISO 8601 string, got {type(value).__name__}.")
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


def text(value: Any) -> str:
    """A string field; null becomes empty, numbers become their text."""
    if type(value) is str:
        return value
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return str(value)


def obj(value: Any) -> JSONObject:
    """A nested object that may be missing or null."""
    return value if isinstance(value, dict) else {}


def items(value: Any) -> JSONArray:
    """A nested list that may be missing or null."""
    if isinstance(value, list):
        return value
    return list(value) if isinstance(value, tuple) else []


def embedded(payload: Mapping[str, Any], name: str) -> JSONArray | None:
    """`_embedded.<name>` when present (None when absent, so callers can tell)."""
    emb = payload.get("_embedded")
    if isinstance(emb, dict) and name in emb:
        return items(emb.get(name))
    return None


def first_name(person: Mapping[str, Any]) -> str:
    # Persons nested in conversations use `first`/`last`; top-level objects `firstName`.
    value = person.get("first")
    return text(person.get("firstName") if value is None else value)


def last_name(person: Mapping[str, Any]) -> str:
    value = person.get("last")
    return text(person.get("lastName") if value is None else value)
