"""Erase one person from the mirror: each step idempotent, run in its own transaction.

Steps run in this order and each may run again (an interrupted erasure resumes by
rerunning them all): conversations whose customer the person is become id-only
tombstones; their threads and ratings go; the person's threads in other customers'
conversations lose their body, raw JSON and sender, and the address leaves those
conversations' recipient lists; webhook event bodies that mention them are erased (the
rows stay, for the audit of deliveries); admin log entries about them lose their label;
the Customer rows go last, since the earlier steps find the person through them.

Never calls Help Scout, and never logs an address or a name.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

from django.apps import apps
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ..emails import email_key, email_keys
from ..models import Conversation, Customer, SatisfactionRating, Thread
from .webhook_log import erase_webhook_bodies

__all__ = ["Person", "find_local_customers", "LOCAL_STEPS", "run_local_step", "count_local"]


@dataclass
class Person:
    """Whom to erase: Help Scout customer ids, the address keys, and their conversations."""

    customer_ids: set[int]
    keys: set[str]
    conversation_ids: set[int]


def find_local_customers(address: str) -> list[Customer]:
    """Mirrored customers with `address` as one of their emails, by Help Scout's rule."""
    key = email_key(address)
    if not key:
        return []
    # SQL narrows (any ASCII case variant, anywhere in the list's JSON text, also as
    # JSON escapes it where the database stores JSON as text); the identity rule
    # (`emails.email_key`) decides in Python.
    escaped = json.dumps(key)[1:-1]
    candidates = Customer.objects.filter(
        Q(email__iexact=key) | Q(emails__icontains=key) | Q(emails__icontains=escaped)
    )
    return [row for row in candidates if key in email_keys([row.email, *(row.emails or [])])]


def describe(customer_ids: Iterable[int], addresses: Iterable[str]) -> Person:
    """The person as the mirror knows them now: ids, every address key, conversations."""
    ids = set(customer_ids)
    keys = set(email_keys(addresses))
    for row in Customer.objects.filter(pk__in=ids).only("email", "emails"):
        keys.update(email_keys([row.email, *(row.emails or [])]))
    conversations = set(
        Conversation.objects.filter(customer_id__in=ids).values_list("id", flat=True)
    )
    return Person(ids, keys, conversations)


def _own_threads(person: Person) -> Q:
    condition = Q(customer_id__in=person.customer_ids)
    if person.keys:
        condition |= Q(created_by_email__in=person.keys)
    return condition


def erase_conversations(person: Person, erasure_id: int) -> dict[str, int]:
    """Tombstones: the id, mailbox, status and times stay; every word about them goes."""
    now = timezone.now()
    rows = Conversation.objects.filter(pk__in=person.conversation_ids)
    marked = rows.filter(deleted_at__isnull=True).update(deleted_at=now)
    count = rows.update(
        is_deleted=True,
        customer=None,
        subject="",
        preview="",
        data={},
        custom_fields=[],
        is_placeholder=True,
    )
    return {"tombstoned": count, "newly_deleted": marked}


def erase_threads(person: Person, erasure_id: int) -> dict[str, int]:
    removed, _ = Thread.objects.filter(conversation_id__in=person.conversation_ids).delete()
    own = Thread.objects.filter(_own_threads(person))
    elsewhere = set(own.values_list("conversation_id", flat=True))
    redacted = own.update(
        body="",
        action_text="",
        data={},
        created_by_name="",
        created_by_email="",
        customer=None,
        attachments=[],
        to=[],
        cc=[],
        bcc=[],
    )
    # Recipient lists of the other threads of those conversations.
    unlisted = 0
    for thread in Thread.objects.filter(conversation_id__in=elsewhere).only(
        "id", "to", "cc", "bcc"
    ):
        changed = {}
        for name in ("to", "cc", "bcc"):
            kept = [a for a in getattr(thread, name) or [] if email_key(a) not in person.keys]
            if kept != (getattr(thread, name) or []):
                changed[name] = kept
        if changed:
            unlisted += Thread.objects.filter(pk=thread.pk).update(**changed, data={})
    return {"removed": removed, "redacted": redacted, "recipient_lists": unlisted}


def erase_ratings(person: Person, erasure_id: int) -> dict[str, int]:
    removed, _ = SatisfactionRating.objects.filter(
        Q(customer_id__in=person.customer_ids) | Q(conversation_id__in=person.conversation_ids)
    ).delete()
    return {"removed": removed}


def erase_webhook_events(person: Person, erasure_id: int) -> dict[str, int]:
    return {
        "erased": erase_webhook_bodies(
            customer_ids=person.customer_ids,
            conversation_ids=person.conversation_ids,
            keys=person.keys,
            note=f"Body erased by customer erasure #{erasure_id}.",
        )
    }


def erase_admin_log(person: Person, erasure_id: int) -> dict[str, int]:
    """Admin LogEntry rows about the customer or their conversations keep what was done
    and by whom, but not the label (a name, an address, a subject) they were shown by."""
    if not apps.is_installed("django.contrib.admin"):
        return {"relabelled": 0}
    from django.contrib.admin.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    count = 0
    for model, ids, label in (
        (Customer, person.customer_ids, "Customer"),
        (Conversation, person.conversation_ids, "Conversation"),
    ):
        if not ids:
            continue
        content_type = ContentType.objects.get_for_model(model)
        for object_id in ids:
            count += LogEntry.objects.filter(
                content_type=content_type, object_id=str(object_id)
            ).update(object_repr=f"{label} {object_id} (erased)", change_message="")
    return {"relabelled": count}


def erase_customer_rows(person: Person, erasure_id: int) -> dict[str, int]:
    removed, _ = Customer.objects.filter(pk__in=person.customer_ids).delete()
    return {"removed": removed}


LOCAL_STEPS = (
    ("conversations", erase_conversations),
    ("threads", erase_threads),
    ("ratings", erase_ratings),
    ("webhook_events", erase_webhook_events),
    ("admin_log", erase_admin_log),
    ("customer", erase_customer_rows),
)


def run_local_step(step, person: Person, erasure_id: int) -> dict[str, int]:
    with transaction.atomic():
        return step(person, erasure_id)


def count_local(person: Person) -> dict[str, int]:
    """What the local steps would touch (for --dry-run); writes nothing."""
    return {
        "customers": Customer.objects.filter(pk__in=person.customer_ids).count(),
        "conversations": len(person.conversation_ids),
        "threads": Thread.objects.filter(
            Q(conversation_id__in=person.conversation_ids) | _own_threads(person)
        ).count(),
        "ratings": SatisfactionRating.objects.filter(
            Q(customer_id__in=person.customer_ids) | Q(conversation_id__in=person.conversation_ids)
        ).count(),
    }
