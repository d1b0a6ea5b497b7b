"""Tombstones: marking mirror rows deleted or merged, and removing deleted tags.

Split from the mirror writer (`upsert.py`) so each stays readable; the writer re-exports
these names. Callers mark a row only on Help Scout's word (`sync.fate`: a 404, a 301 to
the survivor, a confirmed deletion webhook): nothing here asks Help Scout or decides
from a webhook body. A conversation or customer is never removed, only marked; a marked
conversation keeps its threads.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from functools import partial

from django.db import transaction
from django.utils import timezone

from ..exceptions import PayloadError
from ..models import Conversation, Customer, Tag, Thread
from ..payloads import parse_conversation
from ..signals import conversation_synced
from .bulk import upsert_rows, values_where_in

__all__ = [
    "delete_tag",
    "mark_conversation_deleted",
    "mark_conversation_merged",
    "mark_conversations_deleted",
    "mark_customer_deleted",
    "holders_of_threads",
    "merge_sources",
]


def _writing():
    """Join the caller's transaction without a savepoint (see `newest_wins._writing`)."""
    return transaction.atomic(savepoint=False)


def _ensure_placeholders(model, rows: dict[int, dict]) -> None:
    """Create rows known by id only; existing rows (real or not) are left untouched."""
    if rows:
        upsert_rows(model, list(rows.values()), update=())


def mark_conversations_deleted(
    conversation_ids: Iterable[int], *, source: str = "sync", deleted_at: datetime | None = None
) -> int:
    """Mark conversations deleted (kept, never removed); returns how many were newly marked.

    Ids not mirrored yet get a deleted placeholder, so a late, older payload for them
    (a sync page fetched before the deletion) cannot bring them back.
    """
    ids = sorted({int(i) for i in conversation_ids})
    if not ids:
        return 0
    when = deleted_at or timezone.now()
    with _writing():
        known = set(Conversation.objects.filter(pk__in=ids).values_list("id", flat=True))
        fresh = list(
            Conversation.objects.filter(pk__in=ids, is_deleted=False).values_list("id", flat=True)
        )
        if fresh:
            Conversation.objects.filter(pk__in=fresh).update(is_deleted=True, deleted_at=when)
        missing = [i for i in ids if i not in known]
        if missing:
            upsert_rows(
                Conversation,
                [
                    {"id": i, "is_placeholder": True, "is_deleted": True, "deleted_at": when}
                    for i in missing
                ],
                update=(),
            )
        if fresh and conversation_synced.has_listeners():
            transaction.on_commit(partial(_send_deleted, fresh, source))
    return len(fresh)


def mark_conversation_deleted(
    conversation_id: int, *, source: str = "webhook", deleted_at: datetime | None = None
) -> bool:
    """Mark one conversation deleted (the `convo.deleted` webhook, or a 404 on get)."""
    return bool(mark_conversations_deleted([conversation_id], source=source, deleted_at=deleted_at))


def mark_conversation_merged(
    conversation_id: int, survivor_id: int | None, *, source: str = "sync"
) -> bool:
    """Record that Help Scout merged `conversation_id` into `survivor_id` (a 301 on get).

    The merged conversation is kept, pointed at the survivor (`merged_into`) and marked
    deleted: Help Scout no longer lists it and answers 404 once the 301 expires. The
    survivor gets a placeholder row when not mirrored yet; fetching it is the caller's
    job (`sync.fetch`). Returns True when the conversation was newly marked deleted.
    """
    conversation_id = int(conversation_id)
    with _writing():
        if survivor_id and int(survivor_id) != conversation_id:
            survivor_id = int(survivor_id)
            _ensure_placeholders(
                Conversation, {survivor_id: {"id": survivor_id, "is_placeholder": True}}
            )
            _ensure_placeholders(
                Conversation, {conversation_id: {"id": conversation_id, "is_placeholder": True}}
            )
            Conversation.objects.filter(pk=conversation_id).update(merged_into_id=survivor_id)
        return bool(mark_conversations_deleted([conversation_id], source=source))


def _send_deleted(ids: list[int], source: str) -> None:
    for conversation in Conversation.objects.filter(pk__in=ids):
        conversation_synced.send(
            sender=Conversation, conversation=conversation, created=False, source=source
        )


def mark_customer_deleted(customer_id: int) -> bool:
    """Mark a customer deleted (`customer.deleted`); the row and its history stay.

    An unknown customer gets a deleted placeholder, so a `customer.created` or
    `customer.updated` delivered after the deletion cannot bring it back.
    Returns False when the customer was already marked deleted.
    """
    with _writing():
        if not Customer.objects.filter(pk=customer_id).exists():
            _ensure_placeholders(
                Customer,
                {customer_id: {"id": customer_id, "is_placeholder": True, "is_deleted": True}},
            )
            return True
        # `synced_at` is the tombstone's time (see `_upsert_simple`); `update()` does not
        # apply `auto_now`, so it is set here.
        return bool(
            Customer.objects.filter(pk=customer_id, is_deleted=False).update(
                is_deleted=True, synced_at=timezone.now()
            )
        )


def merge_sources(payload: dict) -> list[int]:
    """Conversations the mirror holds some of `payload`'s embedded threads under, other
    than the payload's own: what a merge into it may have retired. Candidates only:
    Help Scout says which were merged (`sync.fate`). [] for a payload without threads
    or that is no conversation."""
    try:
        parsed = parse_conversation(payload)
    except PayloadError:
        return []
    return holders_of_threads(parsed.id, [thread.id for thread in parsed.threads or ()])


def holders_of_threads(conversation_id: int, thread_ids: list[int]) -> list[int]:
    """Conversations other than `conversation_id` the mirror holds any of `thread_ids` under."""
    if not thread_ids:
        return []
    return sorted(
        {
            holder
            for _thread_id, holder in values_where_in(
                Thread, "id", thread_ids, ("id", "conversation_id")
            )
            if holder != conversation_id
        }
    )


def delete_tag(tag_id: int) -> bool:
    """Remove a tag Help Scout deleted (`tag.deleted`), and its links to conversations."""
    deleted, _ = Tag.objects.filter(pk=tag_id).delete()
    return bool(deleted)
