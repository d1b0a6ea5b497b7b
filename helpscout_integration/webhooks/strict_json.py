"""JSON decoding for signed request bodies that refuses what the mirror could never store.

A valid signature says who sent the bytes, not that they are sane. Python's decoder
accepts input that only fails later, and then looks like a passing fault: nesting deep
enough to exhaust the stack (RecursionError, an answer 500), lone UTF-16 surrogates and
NUL characters (PostgreSQL refuses both in text and jsonb), integers beyond 64 bits (no
id column holds them) and non-finite numbers (not JSON at all). `loads_strict` turns each
into one `UnsafeJSON` at the door, so the caller can record a permanent failure instead
of retrying. It never puts the offending text in the message.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

__all__ = ["MAX_DEPTH", "UnsafeJSON", "loads_strict"]

MAX_DEPTH = 64
"""Deepest nesting accepted. Help Scout's objects nest fewer than ten levels."""

INT_MIN, INT_MAX = -(2**63), 2**63 - 1

# A JSON escape that may decode to a lone surrogate or to NUL; only bodies holding one
# pay for the full check.
_SUSPECT_ESCAPE = re.compile(r"\\u(?:[dD][89a-fA-F]|0000)")


class UnsafeJSON(ValueError):
    """The body is not JSON, or is JSON the mirror cannot store."""


def _checked_int(text: str) -> int:
    # More than 20 characters cannot fit in 64 bits, and int() refuses 4,300 digits.
    value = int(text) if len(text) <= 20 else INT_MAX + 1
    if not INT_MIN <= value <= INT_MAX:
        raise UnsafeJSON(f"an integer of {len(text)} digits is beyond 64 bits")
    return value


def _checked_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise UnsafeJSON(f"the number {text[:40]!r} is out of range")
    return value


def _no_constant(name: str) -> Any:
    raise UnsafeJSON(f"{name} is not JSON")


_DECODER = json.JSONDecoder(
    parse_int=_checked_int, parse_float=_checked_float, parse_constant=_no_constant
)


def _too_deep(data: Any, limit: int) -> bool:
    """True when containers nest more than `limit` levels (iterative: no recursion)."""
    level = [data] if isinstance(data, dict | list) else []
    depth = 0
    while level:
        depth += 1
        if depth > limit:
            return True
        deeper: list[dict[Any, Any] | list[Any]] = []
        for item in level:
            values = item.values() if type(item) is dict else item
            deeper.extend(v for v in values if type(v) is dict or type(v) is list)
        level = deeper
    return False


def loads_strict(body: bytes | str, *, max_depth: int = MAX_DEPTH) -> Any:
    """Decode `body` (UTF-8 bytes or text) as JSON; `UnsafeJSON` says why it will not do."""
    if isinstance(body, bytes | bytearray | memoryview):
        try:
            text = bytes(body).decode("utf-8")  # strict: no encoded surrogates either
        except UnicodeDecodeError as exc:
            raise UnsafeJSON(f"not UTF-8 (byte {exc.start})") from None
    else:
        text = body
    # Cheap bound first: fewer brackets than the limit cannot nest deeper than it.
    brackets = text.count("[") + text.count("{")
    try:
        data = _DECODER.decode(text)
    except RecursionError:
        raise UnsafeJSON(f"nested deeper than {max_depth} levels") from None
    except UnsafeJSON:
        raise
    except ValueError as exc:
        raise UnsafeJSON(str(exc)) from None
    if brackets > max_depth and _too_deep(data, max_depth):
        raise UnsafeJSON(f"nested deeper than {max_depth} levels")
    if _SUSPECT_ESCAPE.search(text):
        problem = _bad_string(data)  # only text that went through an escape can hold one
        if problem:
            raise UnsafeJSON(f"a string holds {problem}")
    return data


def _bad_string(data: Any) -> str:
    """What is wrong with the first unstorable string (key or value) in `data`, or ""."""
    stack = [data]
    while stack:
        item = stack.pop()
        if type(item) is dict:
            stack.extend(item.keys())
            stack.extend(item.values())
        elif type(item) is list:
            stack.extend(item)
        elif type(item) is str:
            if "\x00" in item:
                return "a NUL character"
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return "a lone UTF-16 surrogate"
    return ""
