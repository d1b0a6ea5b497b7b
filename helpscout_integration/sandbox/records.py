"""The records a sandbox account is made of: plain dataclasses, one per Help Scout object.

No behaviour beyond a sort key; every change goes through `Store`. Never imported by code
outside the sandbox.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class Mailbox:
    id: int
    name: str
    slug: str
    email: str
    created_at: float
    updated_at: float


@dataclass(slots=True)
class Folder:
    id: int
    mailbox_id: int
    name: str
    type: str
    user_id: int = 0


@dataclass(slots=True)
class CustomField:
    """A mailbox's conversation field. v2 spells `type` in lower case (`dropdown`); a
    dropdown's conversation value is an option id, its `text` the option's label."""

    id: int
    mailbox_id: int
    name: str
    type: str = "single_line"
    options: list[tuple[int, str]] = field(default_factory=list)  # (id, label), in order

    def text_of(self, value: str) -> str:
        """What Help Scout shows for a stored value: a dropdown option's label."""
        for option_id, label in self.options:
            if str(option_id) == value:
                return label
        return value


@dataclass(slots=True)
class User:
    id: int
    first_name: str
    last_name: str
    email: str
    role: str
    timezone: str
    created_at: float
    updated_at: float
    job_title: str = ""


@dataclass(slots=True)
class Tag:
    id: int
    name: str
    slug: str
    color: str
    created_at: float
    updated_at: float


@dataclass(slots=True)
class Customer:
    id: int
    first_name: str
    last_name: str
    emails: list[tuple[int, str, str]]  # (id, value, type)
    created_at: float
    updated_at: float
    job_title: str = ""
    organization: str = ""
    organization_id: int | None = None  # organizationId (organizations.py)
    location: str = ""
    background: str = ""
    gender: str = "unknown"
    age: str = ""
    photo_url: str = ""
    phones: list[tuple[int, str, str]] = field(default_factory=list)
    properties: dict[str, Any] = field(default_factory=dict)
    chats: list[tuple[int, str, str]] = field(default_factory=list)
    social_profiles: list[tuple[int, str, str]] = field(default_factory=list)
    websites: list[tuple[int, str, str]] = field(default_factory=list)  # type unused ("")
    address: dict[str, Any] | None = None  # city, lines, state, postalCode, country

    @property
    def email(self) -> str:
        return self.emails[0][1] if self.emails else ""


@dataclass(slots=True)
class PropertyDefinition:
    slug: str
    name: str
    type: str
    options: list[tuple[int, str]] = field(default_factory=list)  # dropdown (id, label)


@dataclass(slots=True)
class Thread:
    id: int
    type: str  # customer, message (agent reply), note, lineitem, phone, chat
    body: str
    created_at: float
    customer_id: int | None
    created_by: tuple[str, int]  # ("customer" | "user", id)
    status: str = "active"
    assigned_to: int | None = None
    action: str | None = None  # action.type ("default" when None)
    action_text: str = ""  # what a line item says happened
    action_entities: dict[str, Any] = field(default_factory=dict)
    cc: list[str] = field(default_factory=list)
    bcc: list[str] = field(default_factory=list)


@dataclass(slots=True, weakref_slot=True)
class Conversation:
    id: int
    number: int
    mailbox_id: int
    subject: str
    status: str
    customer_id: int
    created_at: float
    modified_at: float
    type: str = "email"
    assignee_id: int | None = None
    tag_ids: list[int] = field(default_factory=list)
    # `source.type` when it differs from the conversation type ("beacon-v2" for Beacon).
    source_type: str | None = None
    closed_at: float | None = None
    closed_by: int | None = None
    created_by: tuple[str, int] = ("customer", 0)
    custom_fields: dict[int, str] = field(default_factory=dict)
    preview: str = ""
    # Threads: a list once materialised; None while a seeded conversation's threads are
    # still generated on demand (see Store.threads_of), in which case thread_count holds.
    threads: list[Thread] | None = None
    thread_count: int = 0
    seed_key: str = ""
    # Help Scout keeps two clocks: `userUpdatedAt` (the last change by a user) and
    # `customerWaitingSince` (moved by the customer's threads). None: not set yet (seeded
    # conversations), read as `modified_at`. `modified_at` is the latest of every change
    # (what `modifiedSince` and `sortField=modifiedAt` use).
    user_updated_at: float | None = None
    customer_waiting_since: float | None = None
    latest_reply_from: str = "customer"  # "customer" or "user"

    def sort_value(self, sort_field: str, customers: Mapping[int, Customer]) -> Any:
        if sort_field == "createdAt":
            return self.created_at
        if sort_field == "number":
            return self.number
        if sort_field == "subject":
            return self.subject.lower()
        if sort_field == "status":
            return self.status
        if sort_field == "mailboxid":
            return self.mailbox_id
        if sort_field == "customerEmail":
            customer = customers.get(self.customer_id)
            return customer.email.lower() if customer else ""
        if sort_field == "customerName":
            customer = customers.get(self.customer_id)
            if customer is None:
                return ""
            return f"{customer.first_name} {customer.last_name}".strip().lower()
        # modifiedAt, score, waitingSince (the sandbox keeps one modification time)
        return self.modified_at


@dataclass(slots=True)
class Rating:
    """A customer's satisfaction rating of a reply (v2 values: great, okay, not_good)."""

    id: int
    conversation_id: int
    mailbox_id: int
    thread_id: int | None
    customer_id: int
    user_id: int | None
    rating: str
    comments: str
    created_at: float


@dataclass(slots=True)
class Webhook:
    id: int
    url: str
    secret: str
    events: list[str] | None  # None: every event
    label: str = ""
    notification: bool = False
    mailbox_ids: list[int] = field(default_factory=list)
    state: str = "enabled"


@dataclass(slots=True)
class DocsSite:
    id: str
    subdomain: str
    title: str


@dataclass(slots=True)
class DocsCollection:
    id: str
    site_id: str
    number: int
    slug: str
    name: str
    visibility: str
    order: int
    created_at: float
    updated_at: float


@dataclass(slots=True)
class DocsCategory:
    id: str
    collection_id: str
    number: int
    slug: str
    name: str
    order: int
    created_at: float
    updated_at: float


@dataclass(slots=True)
class DocsArticle:
    id: str
    number: int
    collection_id: str
    category_ids: list[str]
    slug: str
    status: str
    name: str
    text: str
    public_url: str
    popularity: float
    view_count: int
    created_at: float
    updated_at: float
    keywords: list[str] = field(default_factory=list)
    related: list[str] = field(default_factory=list)  # ids of the articles it links to
