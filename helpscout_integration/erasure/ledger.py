"""Which Help Scout customer ids are erased: the ledger the mirror writer consults.

Help Scout never reuses a customer id, so "this id is erased" is a permanent fact: a
replayed or late webhook, a sync page fetched before the erasure, or a property push
must not bring the id back. A new contact from the same address gets a new id and is
mirrored normally: the ledger holds ids, never addresses. One query per call, whatever
the number of ids; it must never be called per row.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..models import ERASURE_STATES_IN_LEDGER, CustomerErasure


def erased_customer_ids(customer_ids: Iterable[int | None]) -> set[int]:
    """Those of `customer_ids` whose erasure has begun (no query for no ids)."""
    ids = {i for i in customer_ids if i is not None}
    if not ids:
        return set()
    rows = CustomerErasure.objects.filter(customer_id__in=ids, status__in=ERASURE_STATES_IN_LEDGER)
    return {pk for pk in rows.values_list("customer_id", flat=True) if pk is not None}


def is_erased(customer_id: int | None) -> bool:
    return bool(erased_customer_ids([customer_id]))


def without_erased(conversations: list) -> tuple[list, int]:
    """Parsed conversations (`payloads.ParsedConversation`) minus those of an erased
    customer, and the erased person's threads in the others; and how many were dropped.

    A conversation of an erased customer is gone at Help Scout too; a thread the person
    wrote in someone else's conversation is left out (the payload then counts as not
    complete, so the writer does not prune on its account).
    """
    referenced = set()
    for item in conversations:
        if item.customer:
            referenced.add(item.customer.id)
        referenced.update(t.customer.id for t in item.threads or () if t.customer)
    erased = erased_customer_ids(referenced)
    if not erased:
        return conversations, 0
    kept = [c for c in conversations if not (c.customer and c.customer.id in erased)]
    for item in kept:
        if item.threads:
            threads = [t for t in item.threads if not (t.customer and t.customer.id in erased)]
            if len(threads) != len(item.threads):
                item.threads = threads
                item.complete = False
    return kept, len(conversations) - len(kept)
