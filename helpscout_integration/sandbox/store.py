"""In-memory Help Scout account: objects, ids, modification times, and every change to them.

All mutations go through `Store` methods, under one lock, so the HTTP API and the Python
helpers change the same state the same way and announce each change (a webhook event name
plus the object it concerns) to the `on_event` callback. This module knows nothing of HTTP
or of JSON shapes; it never blocks on I/O while holding the lock.

`Store` is composed of layers, one concern each, every one building on the one below:
`store_base` (state, ids, errors, lookups) < `store_index` (seeded columns and time
indexes) < `store_directory` (mailboxes, users, tags, webhooks) < `store_conversations`
(conversations and threads) < `store_merges` (deletes and merges) < `store_customers`
(customers and properties) < `store_ratings`. Import `Store` and the errors and constants
from here; this module must never grow behaviour of its own: add it to the layer whose
concern it is.
"""

from __future__ import annotations

from .store_base import (
    GENERATED_THREADS_CACHE,
    ID_STARTS,
    MAX_CONVERSATIONS_PER_DELETED_CUSTOMER,
    MERGE_REDIRECT_SECONDS,
    PLANS,
    PROPERTY_TYPES,
    RATINGS,
    SEEDED_THREADS_PER_ID,
    STATUSES,
    THREAD_TYPES,
    EventSink,
    Invalid,
    NotFound,
    slugify,
)
from .store_ratings import RatingStore

__all__ = [
    "GENERATED_THREADS_CACHE",
    "ID_STARTS",
    "MAX_CONVERSATIONS_PER_DELETED_CUSTOMER",
    "MERGE_REDIRECT_SECONDS",
    "PLANS",
    "PROPERTY_TYPES",
    "RATINGS",
    "SEEDED_THREADS_PER_ID",
    "STATUSES",
    "THREAD_TYPES",
    "EventSink",
    "Invalid",
    "NotFound",
    "Store",
    "slugify",
]


class Store(RatingStore):
    """One Help Scout account in memory. Thread-safe: every public method takes the lock."""
