"""`MIRROR_RETENTION`: closed conversations older than the retention age lose their words.

What goes: thread bodies, the conversation's preview, and the raw Help Scout JSON of
both (`data`). What stays: every row, id, status, subject, times, counts, tags,
mailbox, customer and assignee links, so reports and the admin's lists still add up.
Age is measured from `closed_at` (or the last change, for a closed conversation without
one). Runs in batches, each its own short transaction; running it again only finds
what is new. Never calls Help Scout and never deletes a row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ..models import Conversation, ConversationStatus, Thread

BATCH = 500


@dataclass
class RetentionResult:
    conversations: int = 0
    threads: int = 0


def expired_conversations(age: timedelta, now: datetime | None = None):
    cutoff = (now or timezone.now()) - age
    return Conversation.objects.filter(
        Q(closed_at__lt=cutoff) | Q(closed_at__isnull=True, updated_at__lt=cutoff),
        status=ConversationStatus.CLOSED,
    )


def _holding_words(conversations) -> list[int]:
    """Ids of those still holding a preview, raw JSON or a thread body."""
    with_threads = Thread.objects.filter(conversation__in=conversations).exclude(body="")
    keep = conversations.filter(
        ~Q(preview="") | ~Q(data={}) | Q(pk__in=with_threads.values("conversation_id"))
    )
    return list(keep.order_by("pk").values_list("pk", flat=True))


def apply_retention(age: timedelta, *, dry_run: bool = False, now=None) -> RetentionResult:
    """Trim every expired closed conversation; counts what it trimmed (or would)."""
    ids = _holding_words(expired_conversations(age, now))
    result = RetentionResult()
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        threads = Thread.objects.filter(conversation_id__in=batch)
        if dry_run:
            result.conversations += len(batch)
            result.threads += threads.exclude(body="").count()
            continue
        with transaction.atomic():
            result.threads += threads.exclude(body="").update(body="", data={})
            threads.update(data={})
            result.conversations += Conversation.objects.filter(pk__in=batch).update(
                preview="", data={}
            )
    return result
