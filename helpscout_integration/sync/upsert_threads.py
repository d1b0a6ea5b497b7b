"""Thread handling of the conversation writer: which embedded threads a page writes,
which a newer payload removes, and which moved in a Help Scout merge.

Split from the mirror writer (`upsert.py`), which calls these inside its own transaction
for each page of conversations: every read here (`bringing_new_threads`, `read_threads`)
comes before the page's first write, so the writes can be pipelined (see
`bulk.pipelined`). A thread is removed only when a newer, complete payload of its
conversation lacks it; an older or same-version payload never rewrites or removes a
thread the mirror holds. This module never opens a transaction of its own, never
writes a conversation row but the `merged_into` pointer of a merge source, never parses
Help Scout's JSON and never calls Help Scout.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ..models import Conversation, Thread
from ..payloads import ParsedConversation
from .bulk import upsert_rows, values_where_in


def _bringing_new_threads(
    items: list[ParsedConversation], *, fresh: bool = False
) -> list[ParsedConversation]:
    """Those of `items` whose embedded threads include one the mirror does not hold under
    any conversation (a thread held elsewhere moved there in a merge: not new), or, for
    a fresh read of Help Scout (`fresh`), not under that conversation: Help Scout's
    answer says where a thread is now."""
    if not items:
        return []
    held = {
        (thread_id if not fresh else (thread_id, conversation_id))
        for thread_id, conversation_id in values_where_in(
            Thread,
            "id",
            [thread.id for item in items for thread in item.threads or ()],
            ("id", "conversation_id"),
        )
    }
    return [
        item
        for item in items
        if any(
            (thread.id if not fresh else (thread.id, item.id)) not in held
            for thread in item.threads or ()
        )
    ]


@dataclass(slots=True)
class _Threads:
    """A page's threads and what the mirror holds of them (read before any write)."""

    rows: dict[int, dict]  # thread id -> row to write
    held: set[int]  # thread ids the mirror has (under any conversation)
    gone: list[int]  # threads a newer, complete payload of their conversation lacks
    moved_from: dict[int, int]  # conversation the mirror had a thread under -> new one


def _read_threads(
    items: list[ParsedConversation],
    new_ids: set[int],
    *,
    prune: dict[int, datetime],
    only_new: set[int],
    fresh: bool = False,
) -> _Threads:
    """The threads to write and remove. `prune`: conversation id -> version of a newer,
    complete payload, the only ones whose missing threads may go (and only threads
    created no later than that version). `only_new`: conversations whose payload is the
    mirror's version: only threads the mirror lacks are written for them (with `fresh`,
    a fresh read of Help Scout, also threads it holds under another conversation)."""
    threads: dict[int, dict] = {}
    for item in items:
        for thread in item.threads or ():
            row = thread.fields  # the row as parsed: `id` and `conversation_id` included
            if row.get("conversation_id") != item.id:
                row = {**row, "conversation_id": item.id}
            threads[thread.id] = row
    written = {item.id for item in items}
    # Threads we hold under another conversation moved here: Help Scout merged that
    # conversation into this one (merging moves the threads; the source disappears).
    moved_from: dict[int, int] = {}
    held: set[int] = set()
    for thread_id, old in values_where_in(Thread, "id", list(threads), ("id", "conversation_id")):
        held.add(thread_id)
        new = threads[thread_id]["conversation_id"]
        if new in only_new and (old == new or not fresh):
            del threads[thread_id]  # an older payload never rewrites a thread we hold
            continue
        if old != new and old not in written:
            moved_from[old] = new
    # A conversation new to the mirror holds no threads yet (the foreign key sees to it),
    # so only those we had are looked at; a thread is gone only when a newer, complete
    # payload lacks it and was made after the thread was created.
    known = [conversation_id for conversation_id in prune if conversation_id not in new_ids]
    gone = [
        thread_id
        for thread_id, conversation_id, created_at in values_where_in(
            Thread, "conversation_id", known, ("id", "conversation_id", "created_at")
        )
        if thread_id not in threads
        and created_at is not None
        and created_at <= prune[conversation_id]
    ]
    return _Threads(threads, held, gone, moved_from)


def _write_threads(threads: _Threads) -> None:
    if threads.gone:  # a DELETE only when a thread is gone
        Thread.objects.filter(pk__in=threads.gone).delete()
    rows = threads.rows
    upsert_rows(Thread, [row for pk, row in rows.items() if pk in threads.held], update=None)
    upsert_rows(
        Thread,
        [row for pk, row in rows.items() if pk not in threads.held],
        update=None,
        absent=True,
    )
    if threads.moved_from:
        _record_merges(threads.moved_from)


def _record_merges(moved_from: dict[int, int]) -> None:
    """Point conversations left without threads at the conversation their threads went to."""
    still_has_threads = set(
        Thread.objects.filter(conversation_id__in=list(moved_from))
        .values_list("conversation_id", flat=True)
        .distinct()
    )
    by_survivor: dict[int, list[int]] = {}
    for source, survivor in moved_from.items():
        if source not in still_has_threads:
            by_survivor.setdefault(survivor, []).append(source)
    for survivor, sources in by_survivor.items():  # one query per survivor (merges are rare)
        Conversation.objects.filter(pk__in=sources).update(merged_into_id=survivor)
