"""Fetch one conversation from Help Scout into the mirror, following merges.

Sync's deletion sweep, webhook follow-ups and the admin all re-read a single
conversation. Help Scout answers a merged conversation with 301 and the survivor's id
(`ConversationMerged`), a deleted one with 404; this module turns each answer into the
same mirror change everywhere: merged -> marked merged and deleted, survivor fetched;
gone -> marked deleted; found -> written. It never follows a redirect without recording
it, and never loops: a chain of merges is followed a bounded number of hops.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..exceptions import ConversationMerged, NotFoundError
from .upsert import (
    UpsertResult,
    mark_conversation_merged,
    mark_conversations_deleted,
    upsert_conversations,
)

MAX_MERGE_HOPS = 5
"""A merged conversation's survivor may itself have been merged since; follow this far."""


@dataclass
class FetchOutcome:
    """What fetching one conversation found (`found`, `merged`, `deleted`)."""

    conversation_id: int
    status: str = "found"
    survivor_id: int | None = None  # where the last merge found points (None: no merge)
    merged: list[int] = field(default_factory=list)  # ids found merged on the way
    deleted: int = 0  # conversations newly marked deleted
    result: UpsertResult = field(default_factory=UpsertResult)


def fetch_conversation(
    client: Any, conversation_id: int, *, source: str = "sync", skip_invalid: bool = False
) -> FetchOutcome:
    """GET `conversation_id` with its threads and mirror what Help Scout says about it."""
    outcome = FetchOutcome(conversation_id=int(conversation_id))
    current = int(conversation_id)
    for _hop in range(MAX_MERGE_HOPS + 1):
        try:
            payload = client.conversations.get(current, embed="threads")
        except ConversationMerged as merged:
            outcome.status = "merged"
            outcome.merged.append(current)
            outcome.survivor_id = merged.survivor_id
            outcome.deleted += int(
                mark_conversation_merged(current, merged.survivor_id, source=source)
            )
            if not merged.survivor_id or merged.survivor_id in outcome.merged:
                return outcome
            current = merged.survivor_id
            continue
        except NotFoundError:
            outcome.deleted += mark_conversations_deleted([current], source=source)
            if current == outcome.conversation_id:
                outcome.status = "deleted"
            return outcome
        outcome.result = upsert_conversations([payload], source=source, skip_invalid=skip_invalid)
        return outcome
    return outcome
