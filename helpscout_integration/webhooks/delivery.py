"""What the webhook view keeps of a delivery: the headers worth storing and the resource id.

Pure functions over the request's headers and the raw body; they never log or keep the
signature value, cookies or any authorization header.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .strict_json import UnsafeJSON, loads_strict

EVENT_HEADER = "X-HelpScout-Event"
SIGNATURE_HEADER = "X-HelpScout-Signature"

# Headers stored on the event for inspection. The signature is deliberately absent:
# `signature_valid` records the verdict, and the value is useless once verified.
KEPT_HEADERS = (
    EVENT_HEADER,
    "Content-Type",
    "Content-Length",
    "User-Agent",
    "X-Request-Id",
)


def kept_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """The headers in `KEPT_HEADERS` that the request carried, each cut to 500 characters."""
    kept = {}
    for name in KEPT_HEADERS:
        value = headers.get(name)
        if value is not None:
            kept[name] = str(value)[:500]
    return kept


class NotAResource(ValueError):
    """The body is not a JSON object (the shape of every Help Scout webhook body)."""


def parse_body(body: bytes) -> dict[str, Any]:
    """The JSON object a delivery carries; `NotAResource` when it is not one.

    Decoded strictly (`strict_json`): a body the mirror could never store (too deep,
    lone surrogates, NUL, integers beyond 64 bits) is refused here, once, rather than
    failing in the database on every retry.
    """
    try:
        data = loads_strict(body)
    except UnsafeJSON as exc:
        raise NotAResource(f"Body is not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise NotAResource(f"Body is JSON but not an object (got {type(data).__name__}).")
    return data


def resource_id(data: Mapping[str, Any]) -> int | None:
    """The Help Scout id of the object a delivery carries, when it has a usable one."""
    value = data.get("id")
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if -(2**63) <= value < 2**63 else None
    if isinstance(value, str) and value.isdigit() and len(value) < 19:
        return int(value)
    return None
