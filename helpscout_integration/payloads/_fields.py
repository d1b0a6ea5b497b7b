"""Small readers shared by the payload parsers: ids, timestamps, text, nested values.

Pure functions over JSON values. Types are checked, never coerced: a field is the JSON
type Help Scout sends it as (a string, an integer id in range, an object, a list) or the
payload is refused with a `PayloadError` naming the field's path ("conversation.subject
must be a string, got a list"), so a wrong value can never be stored as the text of a
Python object. A time more than `FUTURE_LIMIT` ahead of now is refused too: under
newest-wins such a time would freeze a row for good. Never touches the database or the
network.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from ..exceptions import PayloadError
from ..jsontypes import JSONArray, JSONObject

MAX_ID = 2**53 - 1
"""The largest id accepted: Help Scout's ids are positive integers, today about ten
digits. 2**53 - 1 is the largest integer a JSON number keeps exactly in JavaScript
(Help Scout's own apps and most clients), so no id Help Scout issues can exceed it, and
it sits far inside the signed 64-bit columns ids are stored in: an absurd id (2**63 - 1,
a negative one, 0) is refused instead of becoming a row."""

FUTURE_LIMIT = timedelta(days=1)
"""How far ahead of this machine's clock a payload time may be. Help Scout stamps its own
changes, so a time ahead of now is clock skew at most: a day covers any skew and time
zone mistake, and refuses what can only be wrong (9999-12-31)."""


def json_type(value: Any) -> str:
    """The JSON name of a value's type, for error messages (never the value itself)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, list | tuple):
        return "a list"
    return type(value).__name__


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


def _in_range(number: int, what: str) -> int:
    if 0 < number <= MAX_ID:
        return number
    raise PayloadError(
        f"{what} must be a positive id no larger than {MAX_ID} (2**53 - 1), got {number}."
    )


def to_id(value: Any, what: str) -> int:
    """A Help Scout id: a positive integer up to `MAX_ID` (or its digits as a string, as
    some older payloads send them)."""
    if type(value) is int:  # the common case first (bool is not `int` here)
        return _in_range(value, what)
    if isinstance(value, bool):
        raise PayloadError(f"{what} must be a numeric id, got a boolean.")
    if isinstance(value, int):
        return _in_range(int(value), what)
    if isinstance(value, str) and value.strip().isdigit() and value.strip().isascii():
        return _in_range(int(value), what)
    raise PayloadError(f"{what} must be a numeric id, got {json_type(value)}.")


def optional_id(value: Any, what: str) -> int | None:
    """An id that may be absent, null or 0 (Help Scout's "nobody"), or nested as `{"id"}`."""
    if type(value) is int and value:  # the common case first
        return _in_range(value, what)
    if value is None or (type(value) is int and value == 0) or value in ("", "0"):
        return None
    if isinstance(value, dict):
        return optional_id(value.get("id"), f"{what}.id")
    return to_id(value, what)


def to_datetime(value: Any, what: str, *, ahead_ok: bool = False) -> datetime | None:
    """An ISO 8601 timestamp (Help Scout sends UTC with a `Z`) as an aware datetime.

    Refused: anything but a string (or null), and a time more than `FUTURE_LIMIT`
    ahead of now, unless `ahead_ok`: a time that is meant to be ahead (a snooze's end,
    a scheduled send) and orders nothing."""
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
        raise PayloadError(f"{what} must be an ISO 8601 string, got {json_type(value)}.")
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    if not ahead_ok and parsed - datetime.now(UTC) > FUTURE_LIMIT:
        raise PayloadError(
            f"{what} is {parsed.isoformat()}, more than a day ahead of now: refused (a "
            "time in the future would block every later change under newest-wins)."
        )
    return parsed


def text(value: Any, what: str) -> str:
    """A string field; null (or absent) becomes empty. Any other JSON type is refused."""
    if type(value) is str:
        return value
    if value is None:
        return ""
    if isinstance(value, str):
        return str(value)
    raise PayloadError(f"{what} must be a string, got {json_type(value)}.")


def obj(value: Any, what: str) -> JSONObject:
    """A nested object that may be missing or null. Any other JSON type is refused."""
    if isinstance(value, dict):
        return value
    if value is None:
        return {}
    raise PayloadError(f"{what} must be an object, got {json_type(value)}.")


def items(value: Any, what: str) -> JSONArray:
    """A nested list that may be missing or null. Any other JSON type is refused."""
    if isinstance(value, list):
        return value
    if value is None:
        return []
    if isinstance(value, tuple):
        return list(value)
    raise PayloadError(f"{what} must be a list, got {json_type(value)}.")


def objects(value: Any, what: str) -> list[JSONObject]:
    """A list of objects that may be missing or null (each entry must be an object)."""
    found = items(value, what)
    for index, entry in enumerate(found):
        if not isinstance(entry, dict):
            raise PayloadError(f"{what}[{index}] must be an object, got {json_type(entry)}.")
    return found


def embedded(payload: Mapping[str, Any], name: str, kind: str = "payload") -> JSONArray | None:
    """`_embedded.<name>` when present (None when absent, so callers can tell)."""
    emb = payload.get("_embedded")
    if emb is None:
        return None
    emb = obj(emb, f"{kind}._embedded")
    if name in emb:
        return items(emb.get(name), f"{kind}._embedded.{name}")
    return None


def first_name(person: Mapping[str, Any], what: str = "person") -> str:
    # Persons nested in conversations use `first`/`last`; top-level objects `firstName`.
    value = person.get("first")
    if value is None:
        return text(person.get("firstName"), f"{what}.firstName")
    return text(value, f"{what}.first")


def last_name(person: Mapping[str, Any], what: str = "person") -> str:
    value = person.get("last")
    if value is None:
        return text(person.get("lastName"), f"{what}.lastName")
    return text(value, f"{what}.last")
