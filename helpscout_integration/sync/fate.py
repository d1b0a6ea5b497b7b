"""Is a Help Scout object live, deleted, or merged into another? One answer, from Help Scout.

Why one module: sync's deletion sweep, webhook processing (deletions and merges), the
follow-up fetches and the admin's re-reads all need the same decision, and a mirror that
decided it in three places decided it three ways (a `convo.merged` body once retired a
live conversation). Here the decision is Help Scout's own answer to a GET, read through
the table below, with the reason beside each case (after dj-stripe's "is this object
gone?" table).

It never decides from a webhook body (bodies can be replayed under any event name) and
never writes the mirror: callers act on the answer. An answer that says nothing about the
object (network error, 5xx, 429, 401, 403) is raised as the client raised it, so the
caller retries instead of guessing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils import timezone

from ..exceptions import ConversationMerged, NotFoundError, PayloadError
from ..jsontypes import JSONObject
from ..payloads import parse_conversation

__all__ = ["DELETED", "LIVE", "MERGED", "DECISIONS", "Fate", "fate_of"]

LIVE = "live"
DELETED = "deleted"
MERGED = "merged"

#: Help Scout's answer to a GET of the object -> what the mirror records, and why.
DECISIONS: tuple[tuple[str, str, str], ...] = (
    ("200, not in the trash", LIVE, "Help Scout returned the object: it exists."),
    (
        "200, conversation with state 'deleted'",
        DELETED,
        "In Help Scout's trash: deleted, still readable for a while.",
    ),
    (
        "301 + Location (conversation)",
        MERGED,
        "Get Conversation answers 301 with the survivor's URI for 60 days after a merge.",
    ),
    ("404", DELETED, "Help Scout no longer has it (deleted, or merged over 60 days ago)."),
    (
        "network error, 5xx, 429, 401, 403",
        "raised",
        "Not an answer about the object: the caller retries, never applies blind.",
    ),
)


@dataclass(frozen=True)
class Fate:
    """What Help Scout says about one object.

    `status` is LIVE, DELETED or MERGED; `survivor_id` the conversation a MERGED one went
    into (None when the 301 named none); `payload` the object Help Scout returned (LIVE,
    or DELETED from the trash), so callers need not ask twice; `reason` the row of
    `DECISIONS` that applied; `asked_at` when the question was sent (Help Scout's answer
    is the truth from then on: see `newest_wins._revives`).
    """

    status: str
    survivor_id: int | None = None
    payload: JSONObject | None = None
    reason: str = ""
    asked_at: datetime | None = None

    @property
    def is_gone(self) -> bool:
        return self.status != LIVE


def _reason(status: str) -> str:
    return next(why for _answer, decided, why in DECISIONS if decided == status)


def _get(client: Any, kind: str, object_id: int, embed: str | None) -> JSONObject:
    if kind == "conversation":
        return client.conversations.get(object_id, embed=embed)
    if kind == "customer":
        return client.customers.get(object_id)
    if kind == "tag":
        return client.tags.get(object_id)
    raise ValueError(f"Help Scout is not asked about a {kind!r}.")


def _in_trash(data: JSONObject) -> bool:
    try:
        return parse_conversation(data).is_deleted
    except PayloadError:  # a 200 with something else: not evidence of a deletion
        return False


def fate_of(client: Any, kind: str, object_id: int, *, embed: str | None = None) -> Fate:
    """Ask Help Scout (one GET) whether `kind` `object_id` is live, deleted or merged.

    `kind` is "conversation", "customer" or "tag"; `embed` is passed on for a
    conversation ("threads" to have the transcript in `payload`). Raises what the client
    raises when Help Scout's answer says nothing about the object.
    """
    asked_at = timezone.now()
    try:
        data = _get(client, kind, int(object_id), embed)
    except ConversationMerged as merged:
        return Fate(
            MERGED, survivor_id=merged.survivor_id, reason=_reason(MERGED), asked_at=asked_at
        )
    except NotFoundError:
        return Fate(DELETED, reason=_reason(DELETED), asked_at=asked_at)
    if kind == "conversation" and _in_trash(data):
        return Fate(DELETED, payload=data, reason=DECISIONS[1][2], asked_at=asked_at)
    return Fate(LIVE, payload=data, reason=_reason(LIVE), asked_at=asked_at)
