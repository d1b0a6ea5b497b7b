"""The ground floor of the in-memory Help Scout account: ids, constants, errors, the lock,
the event hook and plain lookups by id.

Every other `store_*` layer builds on `StoreCore`: it owns the state the layers share
(the dictionaries of objects, the conversation table and its time indexes) and the
plumbing they all use (`next_id`, `touch`, `_emit`, `_get`). It must never change an
object itself, know of HTTP or JSON shapes, or import a layer above it.
"""

from __future__ import annotations

import itertools
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from typing import Any

from .clock import Clock
from .conversation_table import ConversationTable
from .ordering import SortedOrder
from .organization_records import Organization, OrganizationProperty, Team
from .records import (
    Conversation,
    Customer,
    CustomField,
    DocsArticle,
    DocsCategory,
    DocsCollection,
    DocsSite,
    Folder,
    Mailbox,
    PropertyDefinition,
    Rating,
    Tag,
    Thread,
    User,
    Webhook,
)

# Id ranges differ per kind so a test that mixes up ids fails instead of passing by luck.
ID_STARTS = {
    "mailbox": 1001,
    "folder": 2001,
    "field": 3001,
    "user": 5001,
    "tag": 9001,
    "customer": 100_001,
    "email": 700_001,
    "conversation": 1_000_001,
    "thread": 900_000_001,
    "webhook": 60_001,
    "property_option": 80_001,
    "rating": 40_001,
    "organization": 30_001,
    "organization_property": 20_001,
}
# Seeded conversations generate their threads on demand, with ids conversation_id * 16 + n.
SEEDED_THREADS_PER_ID = 16
GENERATED_THREADS_CACHE = 4096
MAX_CONVERSATIONS_PER_DELETED_CUSTOMER = 100
# Get Conversation answers 301 + Location of the survivor this long after a merge, then 404.
MERGE_REDIRECT_SECONDS = 60 * 86400

STATUSES = ("active", "pending", "closed", "spam")
RATINGS = ("great", "okay", "not_good")
THREAD_TYPES = ("customer", "message", "note", "lineitem", "phone", "chat")
PROPERTY_TYPES = ("text", "number", "date", "url", "dropdown")


class NotFound(LookupError):
    """The referenced object does not exist (HTTP 404)."""


class Invalid(ValueError):
    """A change the account rejects; `errors` are (path, message, rejected value)."""

    def __init__(self, errors: list[tuple[str, str, Any]]) -> None:
        super().__init__("; ".join(f"{p}: {m}" for p, m, _ in errors))
        self.errors = errors


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "item"


EventSink = Callable[..., None]  # (event, kind, obj, **detail)


#: The options of the seeded "Plan" dropdown field of every mailbox.
PLANS = ("Free", "Basic", "Pro")


class StoreCore:
    """The shared state of one account and the plumbing every layer of `Store` uses."""

    def __init__(self, clock: Clock | None = None) -> None:
        self.clock = clock or Clock()
        self.lock = threading.RLock()
        # Bumped by every change; list caches are keyed by it.
        self.version = 0
        self._ids = {kind: itertools.count(start) for kind, start in ID_STARTS.items()}
        self._numbers = itertools.count(1)
        self._last_modified = 0.0
        self.mailboxes: dict[int, Mailbox] = {}
        self.folders: dict[int, list[Folder]] = {}
        self.custom_fields: dict[int, list[CustomField]] = {}
        self.users: dict[int, User] = {}
        self.tags: dict[int, Tag] = {}
        self.tags_by_name: dict[str, Tag] = {}
        self.customers: dict[int, Customer] = {}
        self.customers_by_email: dict[str, Customer] = {}
        self.property_definitions: dict[str, PropertyDefinition] = {}
        # Seeded conversations as columns, the others (and changed seeded ones) as records.
        self.conversations = ConversationTable()
        # Every conversation by modification time and by creation time, kept in step by
        # every change below (`add_seeded` rebuilds them after a bulk fill).
        self.modified_order = SortedOrder("modified_at")
        self.created_order = SortedOrder("created_at")
        self.deleted_conversations: set[int] = set()
        # Merged conversation id -> (survivor id, clock.now() at the merge).
        self.merged_conversations: dict[int, tuple[int, float]] = {}
        self.webhooks: dict[int, Webhook] = {}
        self.ratings: dict[int, Rating] = {}
        self.docs_sites: dict[str, DocsSite] = {}
        self.docs_collections: dict[str, DocsCollection] = {}
        self.docs_categories: dict[str, DocsCategory] = {}
        self.docs_articles: dict[str, DocsArticle] = {}
        # Organizations and teams: rules in organizations.py and teams.py.
        self.organizations: dict[int, Organization] = {}
        self.organization_properties: dict[str, OrganizationProperty] = {}
        self.teams: dict[int, Team] = {}
        # Set by the seed: builds a seeded conversation's threads from its seed_key
        # (called with the `Store` itself, which this layer cannot name).
        self.thread_generator: Callable[[Any, Conversation], list[Thread]] | None = None
        # Recently generated threads of unchanged seeded conversations (bounded).
        self._generated: OrderedDict[int, list[Thread]] = OrderedDict()
        self.on_event: EventSink | None = None

    # -- plumbing ----------------------------------------------------------------------------

    def next_id(self, kind: str) -> int:
        return next(self._ids[kind])

    def reserve_ids(self, kind: str, start: int) -> None:
        """Continue the id sequence of `kind` after `start` (used by seeds)."""
        self._ids[kind] = itertools.count(start)

    def next_number(self) -> int:
        return next(self._numbers)

    def reserve_numbers(self, start: int) -> None:
        self._numbers = itertools.count(start)

    def touch(self) -> float:
        """A modification time strictly after the previous one (clocks can stand still)."""
        now = max(self.clock.now(), self._last_modified + 0.000001)
        self._last_modified = now
        self.version += 1
        return now

    def _emit(self, event: str, kind: str, obj: Any, **detail: Any) -> None:
        """Announce a change; `detail` says more about it (a merge: `merged_threads`, the
        ids of the threads it moved), for deliveries that leave parts out."""
        if self.on_event is not None:
            self.on_event(event, kind, obj, **detail)

    # -- lookups -----------------------------------------------------------------------------

    def _get(self, mapping: Mapping, key: Any, what: str) -> Any:
        try:
            return mapping[key]
        except (KeyError, TypeError):
            raise NotFound(f"{what} not found") from None

    def mailbox(self, mailbox_id: int) -> Mailbox:
        return self._get(self.mailboxes, mailbox_id, "Mailbox")

    def user(self, user_id: int) -> User:
        return self._get(self.users, user_id, "User")

    def rating(self, rating_id: int) -> Rating:
        return self._get(self.ratings, rating_id, "Rating")

    def tag(self, tag_id: int) -> Tag:
        return self._get(self.tags, tag_id, "Tag")

    def customer(self, customer_id: int) -> Customer:
        return self._get(self.customers, customer_id, "Customer")

    def conversation(self, conversation_id: int) -> Conversation:
        return self._get(self.conversations, conversation_id, "Conversation")
