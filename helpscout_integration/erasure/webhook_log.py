"""Erase the bodies of stored webhook deliveries that mention a person.

A delivery's row is the audit of what Help Scout sent and when (event name, digest,
signature verdict, status, times, repeat count): it stays. Its body (and error text,
which may quote it) is what holds the person, and goes. An erased body cannot be
replayed, which is the point: a replay must not bring the person back.

Bodies are bytes, so they are read in chunks and searched in Python: for the address
keys (ASCII case-insensitively, as Help Scout compares them; other addresses exactly and
in JSON's \\u escapes) and for deliveries about one of the person's objects by id.
Never logs a body or an address.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from ..models import WebhookEvent

CHUNK = 500


def _needles(keys: Iterable[str]) -> tuple[list[bytes], list[bytes]]:
    """(ASCII needles, compared lower-cased; others, compared exactly)."""
    folded, exact = [], []
    for key in keys:
        if key.isascii():
            folded.append(key.encode())
        else:
            exact.append(key.encode("utf-8"))
            exact.append(json.dumps(key)[1:-1].encode())  # as JSON escapes it
    return folded, exact


def mentions(body: bytes, folded: list[bytes], exact: list[bytes]) -> bool:
    if not body:
        return False
    lowered = body.lower() if folded else b""
    return any(n in lowered for n in folded) or any(n in body for n in exact)


def _about(event_type: str, resource_id: int | None, ids: dict[str, set[int]]) -> bool:
    """Whether the delivery is about one of `ids` ({"customer.": ..., "convo.": ...}):
    ids of different kinds may be equal numbers, so the event family decides."""
    if resource_id is None:
        return False
    return any(event_type.startswith(prefix) and resource_id in s for prefix, s in ids.items())


def erase_webhook_bodies(
    *, customer_ids: set[int], conversation_ids: set[int], keys: Iterable[str], note: str
) -> int:
    """Erase matching bodies; returns how many rows were erased now."""
    folded, exact = _needles(keys)
    ids = {"customer.": customer_ids, "convo.": conversation_ids}
    matched: list[int] = []
    rows = WebhookEvent.objects.exclude(body=b"").values_list(
        "id", "event_type", "resource_id", "body"
    )
    for pk, event_type, resource_id, body in rows.iterator(chunk_size=CHUNK):
        if _about(event_type, resource_id, ids) or mentions(bytes(body or b""), folded, exact):
            matched.append(pk)
    erased = 0
    for start in range(0, len(matched), CHUNK):
        erased += WebhookEvent.objects.filter(pk__in=matched[start : start + CHUNK]).update(
            body=b"", error=note
        )
    return erased
