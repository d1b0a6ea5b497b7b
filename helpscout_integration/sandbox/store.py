"""In-memory Help Scout account: objects, ids, modification times, and every change to them.

All mutations go through `Store` methods, under one lock, so the HTTP API and the Python
helpers change the same state the same way and announce each change (a webhook event name
plus the object it concerns) to the `on_event` callback. This module knows nothing of HTTP
or of JSON shapes; it never blocks on I/O while holding the lock.
"""

from __future__ import annotations

import itertools
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from .clock import Clock
from .conversation_table import ConversationTable
from .ordering import ID_MASK, SortedOrder, sort_keys
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
from .seeded import STATUS_CODES, SeededColumns

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


class Store:
    """One Help Scout account in memory. Thread-safe: every public method takes the lock."""

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
        # Set by the seed: builds a seeded conversation's threads from its seed_key.
        self.thread_generator: Callable[[Store, Conversation], list[Thread]] | None = None
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

    def add_rating(
        self, conversation_id: int, rating: str, comments: str = "", user_id: int | None = None
    ) -> Rating:
        """A customer rates the conversation's latest reply (`satisfaction.ratings`)."""
        if rating not in RATINGS:
            raise Invalid([("rating", "must be great, okay or not_good", rating)])
        with self.lock:
            conversation = self.conversation(conversation_id)
            replies = [t for t in self.threads_of(conversation) if t.type == "message"]
            latest = replies[-1] if replies else None
            item = Rating(
                id=self.next_id("rating"),
                conversation_id=conversation.id,
                mailbox_id=conversation.mailbox_id,
                thread_id=latest.id if latest else None,
                customer_id=conversation.customer_id,
                user_id=user_id or (latest.created_by[1] if latest else None),
                rating=rating,
                comments=comments,
                created_at=self.clock.now(),
            )
            self.ratings[item.id] = item
            self._emit("satisfaction.ratings", "rating", item)
            return item

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

    def merged_into(self, conversation_id: int) -> int | None:
        """The survivor a merged conversation redirects to, while the 301 lasts (60 days
        of sandbox time), else None."""
        with self.lock:
            found = self.merged_conversations.get(conversation_id)
            if found is None:
                return None
            survivor, merged_at = found
            if self.clock.now() - merged_at >= self.clock.real_seconds(MERGE_REDIRECT_SECONDS):
                return None
            return survivor

    def threads_of(self, conversation: Conversation) -> list[Thread]:
        """The conversation's threads, oldest first (generated for seeded ones)."""
        if conversation.threads is not None:
            return conversation.threads
        if self.thread_generator is None:
            return []
        cached = self._generated.get(conversation.id)
        if cached is None:
            cached = self.thread_generator(self, conversation)
            self._generated[conversation.id] = cached
            if len(self._generated) > GENERATED_THREADS_CACHE:
                self._generated.popitem(last=False)
        return cached

    def add_seeded(self, block: SeededColumns) -> None:
        """Add a seed's conversations (kept as columns) and index them."""
        with self.lock:
            self.conversations.attach(block)
            self.reindex_conversations()

    def reindex_conversations(self) -> None:
        """Rebuild the time indexes from `conversations` (after a bulk fill): keys are
        read from the seeded columns in one pass each, and from the live records."""
        with self.lock:
            table = self.conversations
            for order in (self.modified_order, self.created_order):
                buckets: dict[tuple[str, int], list[int]] = {}
                for block in table.blocks:
                    ids = range(block.first_id, block.stop_id)
                    column = block.modified if order.field == "modified_at" else block.created
                    lists = [
                        buckets.setdefault((status, mailbox), [])
                        for status in STATUS_CODES
                        for mailbox in block.mailboxes
                    ]
                    width = len(block.mailboxes)
                    gone = table.gone_in(block)
                    for key, status, mailbox in zip(
                        sort_keys(column, ids), block.status, block.mailbox, strict=True
                    ):
                        if not gone or (key & ID_MASK) not in gone:
                            lists[status * width + mailbox].append(key)
                for conversation in table.live():
                    bucket = (conversation.status, conversation.mailbox_id)
                    buckets.setdefault(bucket, []).append(order.key(conversation))
                order.rebuild(buckets)

    def _writable(self, conversation_id: int) -> Conversation:
        """The conversation as a record changes may be made to (a seeded one leaves its
        columns for good)."""
        self.conversation(conversation_id)  # NotFound as for any lookup
        return self.conversations.pin(conversation_id)

    @contextmanager
    def _reindexed(self, conversation: Conversation) -> Iterator[None]:
        """Around a change of `conversation`: move its index keys if the change moved its
        status, mailbox, modification or creation time (also when it fails half-way)."""
        before = (
            conversation.status,
            conversation.mailbox_id,
            conversation.modified_at,
            conversation.created_at,
        )
        try:
            yield
        finally:
            status, mailbox, modified, created = before
            if (conversation.status, conversation.mailbox_id) != (status, mailbox):
                self._unindex(conversation, status, mailbox, modified, created)
                self._index(conversation)
            else:
                if conversation.modified_at != modified:
                    self.modified_order.remove(status, mailbox, modified, conversation.id)
                    self.modified_order.add(conversation)
                if conversation.created_at != created:
                    self.created_order.remove(status, mailbox, created, conversation.id)
                    self.created_order.add(conversation)

    def _index(self, conversation: Conversation) -> None:
        self.modified_order.add(conversation)
        self.created_order.add(conversation)

    def _unindex(
        self,
        conversation: Conversation,
        status: str | None = None,
        mailbox_id: int | None = None,
        modified_at: float | None = None,
        created_at: float | None = None,
    ) -> None:
        """Forget the conversation's keys: those of its current values, or of the values
        given (what it was indexed under before a change)."""
        status = conversation.status if status is None else status
        mailbox_id = conversation.mailbox_id if mailbox_id is None else mailbox_id
        modified = conversation.modified_at if modified_at is None else modified_at
        created = conversation.created_at if created_at is None else created_at
        self.modified_order.remove(status, mailbox_id, modified, conversation.id)
        self.created_order.remove(status, mailbox_id, created, conversation.id)

    @staticmethod
    def _freeze_times(conversation: Conversation) -> None:
        """Pin a seeded conversation's user and customer clocks before a change moves
        one of them (until then both read as its modification time)."""
        if conversation.user_updated_at is None:
            conversation.user_updated_at = conversation.modified_at
        if conversation.customer_waiting_since is None:
            conversation.customer_waiting_since = conversation.modified_at

    def _materialise_threads(self, conversation: Conversation) -> list[Thread]:
        """Keep a seeded conversation's threads as they are now, before it changes (its
        generated threads follow its assignee and status)."""
        if conversation.threads is None:
            conversation.threads = list(self.threads_of(conversation))
            self._generated.pop(conversation.id, None)
        return conversation.threads

    # -- directory objects --------------------------------------------------------------------

    def add_mailbox(self, name: str, email: str | None = None, slug: str | None = None) -> Mailbox:
        with self.lock:
            now = self.touch()
            mailbox_id = self.next_id("mailbox")
            mailbox = Mailbox(
                id=mailbox_id,
                name=name,
                slug=slug or f"{mailbox_id:x}{slugify(name)[:8]}",
                email=email or f"{slugify(name)}@example.com",
                created_at=now,
                updated_at=now,
            )
            self.mailboxes[mailbox.id] = mailbox
            self.folders[mailbox.id] = [
                Folder(self.next_id("folder"), mailbox.id, folder_name, folder_type)
                for folder_name, folder_type in (
                    ("Unassigned", "open"),
                    ("Mine", "mytickets"),
                    ("Drafts", "drafts"),
                    ("Assigned", "assigned"),
                    ("Closed", "closed"),
                    ("Spam", "spam"),
                )
            ]
            order_number_id = self.next_id("field")
            plan_id = self.next_id("field")
            self.custom_fields[mailbox.id] = [
                CustomField(order_number_id, mailbox.id, "Order number"),
                CustomField(
                    plan_id,
                    mailbox.id,
                    "Plan",
                    "dropdown",
                    [(plan_id * 10 + n, label) for n, label in enumerate(PLANS, start=1)],
                ),
            ]
            return mailbox

    def add_user(
        self,
        first_name: str,
        last_name: str,
        email: str,
        role: str = "user",
        timezone: str = "UTC",
    ) -> User:
        with self.lock:
            now = self.touch()
            user = User(
                self.next_id("user"), first_name, last_name, email, role, timezone, now, now
            )
            self.users[user.id] = user
            return user

    def ensure_tag(self, name: str, color: str = "#929499") -> Tag:
        """The tag called `name` (case-insensitive), created (and announced) when new."""
        with self.lock:
            key = name.strip().lower()
            if not key:
                raise Invalid([("tags", "may not be empty", name)])
            existing = self.tags_by_name.get(key)
            if existing is not None:
                return existing
            now = self.touch()
            tag = Tag(self.next_id("tag"), key, slugify(key), color, now, now)
            self.tags[tag.id] = tag
            self.tags_by_name[key] = tag
            self._emit("tag.created", "tag", tag)
            return tag

    def ticket_count(self, tag: Tag) -> int:
        return self.conversations.tag_counts()[tag.id]

    # -- customers ----------------------------------------------------------------------------

    def customer_by_email(self, email: str) -> Customer | None:
        return self.customers_by_email.get(email.strip().lower())

    def add_customer(
        self,
        first_name: str = "",
        last_name: str = "",
        emails: Iterable[str | tuple[str, str]] = (),
        *,
        announce: bool = True,
        created_at: float | None = None,
        **attributes: Any,
    ) -> Customer:
        with self.lock:
            pairs = [(e, "work") if isinstance(e, str) else tuple(e) for e in emails]
            for value, _type in pairs:
                if self.customer_by_email(value) is not None:
                    raise Invalid([("emails", "Email already belongs to a customer", value)])
            now = self.touch()
            customer = Customer(
                id=self.next_id("customer"),
                first_name=first_name,
                last_name=last_name,
                emails=[(self.next_id("email"), v, t) for v, t in pairs],
                created_at=created_at if created_at is not None else now,
                updated_at=created_at if created_at is not None else now,
                **attributes,
            )
            self.customers[customer.id] = customer
            for _id, value, _type in customer.emails:
                self.customers_by_email[value.lower()] = customer
            if announce:
                self._emit("customer.created", "customer", customer)
            return customer

    def customer_for(self, email: str | None = None, customer_id: int | None = None, **names):
        """The customer with this id, or with this email (created when new)."""
        with self.lock:
            if customer_id is not None:
                return self.customer(customer_id)
            if not email:
                raise Invalid([("customer", "needs an id or an email", None)])
            existing = self.customer_by_email(email)
            if existing is not None:
                return existing
            return self.add_customer(
                names.get("first_name") or "", names.get("last_name") or "", [email]
            )

    def update_customer(self, customer_id: int, **changes: Any) -> Customer:
        with self.lock:
            customer = self.customer(customer_id)
            for name, value in changes.items():
                setattr(customer, name, value)
            customer.updated_at = self.touch()
            self._emit("customer.updated", "customer", customer)
            return customer

    def conversations_of(self, customer_id: int) -> list[int]:
        with self.lock:
            return [c.id for c in self.conversations.values() if c.customer_id == customer_id]

    def delete_customer(self, customer_id: int, *, enforce_limit: bool = True) -> None:
        """Delete a customer, their conversations and their ratings (Help Scout's GDPR
        delete; the synchronous one refuses customers with more than 100 conversations,
        the asynchronous one passes `enforce_limit=False`)."""
        with self.lock:
            customer = self.customer(customer_id)
            owned = self.conversations_of(customer.id)
            if enforce_limit and len(owned) > MAX_CONVERSATIONS_PER_DELETED_CUSTOMER:
                raise Invalid([("id", "Customer has more than 100 conversations", customer.id)])
            for conversation_id in owned:
                self.delete_conversation(conversation_id)
            for rating in [r for r in self.ratings.values() if r.customer_id == customer.id]:
                del self.ratings[rating.id]
            del self.customers[customer.id]
            for _id, value, _type in customer.emails:
                self.customers_by_email.pop(value.lower(), None)
            self.touch()
            self._emit("customer.deleted", "deleted", {"id": customer.id})

    def add_property_definition(
        self, slug: str, name: str, type: str = "text", options: Iterable[str] = ()
    ) -> PropertyDefinition:
        with self.lock:
            if type not in PROPERTY_TYPES:
                raise Invalid([("type", f"must be one of {', '.join(PROPERTY_TYPES)}", type)])
            definition = PropertyDefinition(
                slug, name, type, [(self.next_id("property_option"), o) for o in options]
            )
            self.property_definitions[slug] = definition
            self.version += 1
            return definition

    def set_customer_properties(self, customer_id: int, values: dict[str, Any | None]) -> None:
        """Set (value) or remove (None) customer property values, already validated."""
        with self.lock:
            customer = self.customer(customer_id)
            for slug, value in values.items():
                if value is None:
                    customer.properties.pop(slug, None)
                else:
                    customer.properties[slug] = value
            customer.updated_at = self.touch()
            self._emit("customer.updated", "customer", customer)

    # -- conversations ------------------------------------------------------------------------

    def _new_thread(
        self,
        conversation: Conversation,
        type: str,
        text: str,
        user_id: int | None,
        customer_id: int | None,
        created_at: float,
    ) -> Thread:
        if type not in THREAD_TYPES:
            raise Invalid([("type", f"unknown thread type {type!r}", type)])
        customer_id = customer_id or conversation.customer_id
        if type in ("customer",) or (type in ("phone", "chat") and not user_id):
            created_by = ("customer", customer_id)
        else:
            author = user_id or conversation.assignee_id or next(iter(self.users), 0)
            if author and author not in self.users:
                raise NotFound("User not found")
            created_by = ("user", author)
        return Thread(
            id=self.next_id("thread"),
            type=type,
            body=text,
            created_at=created_at,
            customer_id=customer_id,
            created_by=created_by,
            assigned_to=conversation.assignee_id,
        )

    def create_conversation(
        self,
        *,
        mailbox_id: int,
        customer: Customer,
        subject: str,
        threads: list[dict],
        status: str = "active",
        type: str = "email",
        tags: Iterable[str] = (),
        assignee_id: int | None = None,
        created_at: float | None = None,
        custom_fields: dict[int, str] | None = None,
        source_type: str | None = None,
    ) -> Conversation:
        """Create a conversation; `threads` items are {type, text, user_id?}, oldest first."""
        with self.lock:
            self.mailbox(mailbox_id)
            if assignee_id is not None:
                self.user(assignee_id)
            if status not in STATUSES:
                raise Invalid([("status", "must be active, pending, closed or spam", status)])
            if not threads:
                raise Invalid([("threads", "at least one thread is required", [])])
            tag_ids = [self.ensure_tag(name).id for name in tags]
            now = self.touch()
            created = created_at if created_at is not None else now
            conversation = Conversation(
                id=self.next_id("conversation"),
                number=self.next_number(),
                mailbox_id=mailbox_id,
                subject=subject,
                status=status,
                customer_id=customer.id,
                created_at=created,
                modified_at=now,
                type=type,
                assignee_id=assignee_id,
                tag_ids=tag_ids,
                custom_fields=dict(custom_fields or {}),
                threads=[],
                source_type=source_type,
            )
            own_threads = self._materialise_threads(conversation)  # the [] just given
            for item in threads:
                thread = self._new_thread(
                    conversation,
                    item.get("type", "customer"),
                    item.get("text", ""),
                    item.get("user_id"),
                    None,
                    created,
                )
                own_threads.append(thread)
            first = own_threads[0]
            conversation.created_by = first.created_by
            conversation.user_updated_at = now
            conversation.customer_waiting_since = created
            conversation.latest_reply_from = first.created_by[0]
            conversation.preview = _preview(own_threads[-1].body)
            conversation.thread_count = _count(own_threads)
            if status == "closed":
                conversation.closed_at = now
                users = [t.created_by[1] for t in own_threads if t.created_by[0] == "user"]
                conversation.closed_by = users[-1] if users else self._actor_id()
            self.conversations[conversation.id] = conversation
            self._index(conversation)
            self._emit("convo.created", "conversation", conversation)
            return conversation

    def add_thread(
        self,
        conversation_id: int,
        type: str,
        text: str,
        *,
        user_id: int | None = None,
        customer_id: int | None = None,
        status: str | None = None,
        cc: Iterable[str] = (),
        bcc: Iterable[str] = (),
    ) -> Thread:
        with self.lock:
            conversation = self._writable(conversation_id)
            with self._reindexed(conversation):
                if status is not None and status not in STATUSES:
                    raise Invalid([("status", "must be active, pending, closed or spam", status)])
                if customer_id is not None:
                    self.customer(customer_id)
                now = self.touch()
                thread = self._new_thread(conversation, type, text, user_id, customer_id, now)
                thread.cc, thread.bcc = list(cc), list(bcc)
                self._freeze_times(conversation)
                threads = self._materialise_threads(conversation)
                threads.append(thread)
                conversation.thread_count = _count(threads)
                if type != "note":
                    conversation.preview = _preview(text)
                if status is None and type == "customer":
                    status = "active"  # a customer reply reopens the conversation
                if status is not None:
                    author = thread.created_by[1] if thread.created_by[0] == "user" else None
                    self._set_status(conversation, status, now, author)
                thread.status = conversation.status
                conversation.modified_at = now
                if thread.created_by[0] == "customer":
                    # A customer's thread moves customerWaitingSince, not userUpdatedAt.
                    conversation.customer_waiting_since = now
                    conversation.latest_reply_from = "customer"
                else:
                    conversation.user_updated_at = now
                    if type != "note":
                        conversation.latest_reply_from = "user"
            event = {
                "customer": "convo.customer.reply.created",
                "note": "convo.note.created",
            }.get(type, "convo.agent.reply.created")
            self._emit(event, "conversation", conversation)
            return thread

    def _actor_name(self) -> str:
        """Who API changes are made as: the account owner (first user), as `/users/me`
        says for client-credentials tokens."""
        if not self.users:
            return "Someone"
        owner = self.users[min(self.users)]
        return f"{owner.first_name} {owner.last_name}".strip() or owner.email

    def _line_item(
        self,
        conversation: Conversation,
        action_type: str,
        text: str,
        now: float,
        *,
        status: str | None = None,
        entities: dict | None = None,
    ) -> Thread:
        """A `lineitem` thread: the system line Help Scout adds for a status change, an
        assignment, a move or a merge (`action.text` says what happened)."""
        return Thread(
            id=self.next_id("thread"),
            type="lineitem",
            body="",
            created_at=now,
            customer_id=conversation.customer_id,
            created_by=("user", min(self.users) if self.users else 0),
            status=status or "nochange",
            assigned_to=conversation.assignee_id,
            action=action_type,
            action_text=text,
            action_entities=dict(entities or {}),
        )

    def _actor_id(self) -> int:
        """The user API changes are made as: the account owner (see `_actor_name`)."""
        return min(self.users) if self.users else 0

    def _set_status(
        self, conversation: Conversation, status: str, now: float, by: int | None = None
    ) -> None:
        """`by`: the user closing it (the API's actor, the account owner, when None)."""
        conversation.status = status
        if status == "closed":
            conversation.closed_at = now
            conversation.closed_by = by or self._actor_id()
        else:
            conversation.closed_at = None
            conversation.closed_by = None

    def update_conversation(self, conversation_id: int, **changes: Any) -> Conversation:
        """Apply changes (subject, status, assignee_id, mailbox_id, customer_id, tags,
        custom_fields) and announce each with its Help Scout event."""
        with self.lock:
            conversation = self._writable(conversation_id)
            with self._reindexed(conversation):
                self._materialise_threads(conversation)
                self._freeze_times(conversation)
                events: list[str] = []
                if "status" in changes and changes["status"] not in STATUSES:
                    raise Invalid([("status", "must be active, pending, closed or spam", None)])
                if changes.get("mailbox_id") is not None:
                    self.mailbox(changes["mailbox_id"])
                if (
                    changes.get("assignee_id") is not None
                    and changes["assignee_id"] not in self.teams
                ):
                    self.user(changes["assignee_id"])  # a user or a team (teams.py)
                if changes.get("customer_id") is not None:
                    self.customer(changes["customer_id"])
                now = self.touch()
                actor = self._actor_name()
                lines: list[Thread] = []
                if "subject" in changes:
                    conversation.subject = changes["subject"]
                if "status" in changes and changes["status"] != conversation.status:
                    self._set_status(conversation, changes["status"], now)
                    events.append("convo.status")
                    lines.append(
                        self._line_item(
                            conversation,
                            "default",
                            f"{actor} marked as {changes['status'].capitalize()}",
                            now,
                            status=changes["status"],
                        )
                    )
                if "assignee_id" in changes and changes["assignee_id"] != conversation.assignee_id:
                    conversation.assignee_id = changes["assignee_id"]
                    events.append("convo.assigned")
                    team = self.teams.get(conversation.assignee_id or 0)
                    assignee = self.users.get(conversation.assignee_id or 0)
                    to = f"{assignee.first_name} {assignee.last_name}".strip() if assignee else ""
                    to = team.name if team else to
                    lines.append(
                        self._line_item(
                            conversation, "default", f"{actor} assigned to {to or 'Anyone'}", now
                        )
                    )
                if "mailbox_id" in changes and changes["mailbox_id"] != conversation.mailbox_id:
                    old = self.mailboxes.get(conversation.mailbox_id)
                    lines.append(
                        self._line_item(
                            conversation,
                            "moved-from-mailbox",
                            f"{actor} moved this conversation from {old.name if old else 'another'}"
                            " mailbox",
                            now,
                            entities={"mailbox": conversation.mailbox_id},
                        )
                    )
                    conversation.mailbox_id = changes["mailbox_id"]
                    events.append("convo.moved")
                if (
                    changes.get("customer_id") is not None
                    and changes["customer_id"] != conversation.customer_id
                ):
                    conversation.customer_id = changes["customer_id"]
                    customer = self.customers.get(conversation.customer_id)
                    name = (
                        f"{customer.first_name} {customer.last_name}".strip() or customer.email
                        if customer
                        else "another customer"
                    )
                    lines.append(
                        self._line_item(
                            conversation,
                            "changed-ticket-customer",
                            f"{actor} changed the customer to {name}",
                            now,
                            entities={"customer": conversation.customer_id},
                        )
                    )
                if "tags" in changes:
                    conversation.tag_ids = list(
                        dict.fromkeys(self.ensure_tag(name).id for name in changes["tags"])
                    )
                    events.append("convo.tags")
                if "custom_fields" in changes:
                    conversation.custom_fields = dict(changes["custom_fields"])
                    events.append("convo.custom-fields")
                if lines:
                    materialised = self._materialise_threads(conversation)  # done above: no-op
                    materialised.extend(lines)
                    conversation.thread_count = _count(materialised)
                conversation.modified_at = now
                conversation.user_updated_at = now  # an API change is a user's change
            for event in events:
                self._emit(event, "conversation", conversation)
            return conversation

    def delete_conversation(self, conversation_id: int) -> None:
        with self.lock:
            conversation = self.conversation(conversation_id)
            del self.conversations[conversation.id]
            self._unindex(conversation)
            self.deleted_conversations.add(conversation.id)
            self.touch()
            self._emit("convo.deleted", "deleted", {"id": conversation.id})

    def merge_conversations(self, source_id: int, into_id: int) -> Conversation:
        """Move the source's threads into the target; the source disappears (like a delete,
        but announced as `convo.merged` with the surviving conversation)."""
        with self.lock:
            source = self.conversation(source_id)
            target = self._writable(into_id)
            if source.id == target.id:
                raise Invalid([("id", "cannot merge a conversation into itself", source_id)])
            moved = list(self.threads_of(source))
            threads = self._materialise_threads(target)
            threads.extend(moved)
            threads.sort(key=lambda t: (t.created_at, t.id))
            target.thread_count = _count(threads)
            del self.conversations[source.id]
            self._unindex(source)
            self.deleted_conversations.add(source.id)
            self._freeze_times(target)
            with self._reindexed(target):
                target.modified_at = target.user_updated_at = self.touch()
            threads.append(
                self._line_item(
                    target,
                    "merged",
                    f"{self._actor_name()} merged #{source.number} into this conversation",
                    target.modified_at,
                    entities={"conversation": source.id},
                )
            )
            self.merged_conversations[source.id] = (target.id, self.clock.now())
            self._emit(
                "convo.merged",
                "conversation",
                target,
                merged_threads=frozenset(thread.id for thread in moved),
            )
            return target

    # -- webhooks -----------------------------------------------------------------------------

    def add_webhook(
        self, url: str, secret: str, events: list[str] | None = None, **extra
    ) -> Webhook:
        with self.lock:
            webhook = Webhook(self.next_id("webhook"), url, secret, events, **extra)
            self.webhooks[webhook.id] = webhook
            return webhook

    def webhook(self, webhook_id: int) -> Webhook:
        return self._get(self.webhooks, webhook_id, "Webhook")

    def delete_webhook(self, webhook_id: int) -> None:
        with self.lock:
            self.webhook(webhook_id)
            del self.webhooks[webhook_id]


def _count(threads: list[Thread]) -> int:
    """A conversation's `threads` count: line items not counted (v1's documented
    `threadCount` rule; v2 does not say)."""
    return sum(1 for thread in threads if thread.type != "lineitem")


def _preview(text: str) -> str:
    plain = re.sub(r"<[^>]+>", "", text or "").strip()
    return plain[:255]
