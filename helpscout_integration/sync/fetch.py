"""Fetch one conversation from Help Scout into the mirror, following merges.

Sync's deletion sweep, webhook follow-ups and the admin all re-read a single
conversation. What Help Scout's answer means is decided in one place (`fate.py`: 301 to
the survivor = merged, 404 = deleted, 200 = live); this module turns each answer into the
same mirror change everywhere: merged -> marked merged and deleted, survivor fetched;
deleted -> marked deleted; live -> written as a fresh read (Help Scout's answer beats an
older tombstone or an impossible stored time). A live conversation that now holds
threads the mirror had under other conversations was the target of a merge: each of
those is asked about in turn, and marked merged only when Help Scout says so (a merge
body may lack the merged threads; this is where their sources are retired). It never
follows a redirect without recording it, and never loops: a chain of merges is followed
a bounded number of hops.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .fate import LIVE, MERGED, Fate, fate_of
from .tombstones import mark_conversation_merged, mark_conversations_deleted, merge_sources
from .upsert import UpsertResult, upsert_conversations

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


def record_fate(conversation_id: int, fate: Fate, *, source: str) -> int:
    """Make the mirror say what Help Scout said about `conversation_id`; returns 1 when it
    was newly marked deleted.

    MERGED: marked merged into the survivor Help Scout named, and deleted. DELETED (404):
    marked deleted. A returned object (LIVE, or in the trash) is written as a fresh read,
    so a tombstone or a merge hint the answer contradicts is undone."""
    if fate.status == MERGED:
        return int(mark_conversation_merged(conversation_id, fate.survivor_id, source=source))
    if fate.payload is None:
        return mark_conversations_deleted([conversation_id], source=source)
    upsert_conversations(
        [fate.payload], source=source, skip_invalid=True, observed_at=fate.asked_at
    )
    return 0


def fetch_conversation(
    client: Any, conversation_id: int, *, source: str = "sync", skip_invalid: bool = False
) -> FetchOutcome:
    """GET `conversation_id` with its threads and mirror what Help Scout says about it."""
    outcome = FetchOutcome(conversation_id=int(conversation_id))
    current = int(conversation_id)
    for _hop in range(MAX_MERGE_HOPS + 1):
        fate = fate_of(client, "conversation", current, embed="threads")
        if fate.status == MERGED:
            outcome.status = "merged"
            outcome.merged.append(current)
            outcome.survivor_id = fate.survivor_id
            outcome.deleted += record_fate(current, fate, source=source)
            if not fate.survivor_id or fate.survivor_id in outcome.merged:
                return outcome
            current = fate.survivor_id
            continue
        if fate.payload is None:  # 404
            outcome.deleted += record_fate(current, fate, source=source)
            if current == outcome.conversation_id:
                outcome.status = "deleted"
            return outcome
        sources = merge_sources(fate.payload) if fate.status == LIVE else []
        outcome.result = upsert_conversations(
            [fate.payload], source=source, skip_invalid=skip_invalid, observed_at=fate.asked_at
        )
        for source_id in sources:  # threads moved here: was it merged? Help Scout says
            source_fate = fate_of(client, "conversation", source_id)
            outcome.deleted += record_fate(source_id, source_fate, source=source)
        return outcome
    return outcome
