"""Help Scout thread JSON (one message, note or system line of a conversation) -> Thread
field values. Pure: no ORM, no HTTP.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ..emails import email_key
from ._fields import (
    embedded,
    first_name,
    items,
    last_name,
    obj,
    objects,
    optional_id,
    require_object,
    text,
    to_datetime,
    to_id,
)
from .refs import PersonRef


@dataclass(slots=True)
class ParsedThread:
    id: int
    hs_updated_at: datetime | None
    customer: PersonRef | None
    # Thread model fields by attname, `id` and `data` included, and `conversation_id` when
    # the thread was read from inside its conversation.
    fields: dict[str, Any]


def _addresses(value: Any, what: str) -> list[str]:
    if not value:
        return []
    out = []
    for index, entry in enumerate(items(value, what)):
        if isinstance(entry, dict):
            address = text(entry.get("email"), f"{what}[{index}].email").strip()
        else:
            address = text(entry, f"{what}[{index}]").strip()
        if address:
            out.append(address)
    return out


def person_ref(value: Any, what: str) -> PersonRef | None:
    """A nested person (`{"id", "first", "last", "email"}`) or a bare id, as a reference."""
    if not isinstance(value, dict):
        person_id = optional_id(value, what)
        return None if person_id is None else PersonRef(person_id)
    person_id = optional_id(value.get("id"), f"{what}.id")
    if person_id is None:
        return None
    email = text(value.get("email"), f"{what}.email")
    if not email:
        emails = items(value.get("emails"), f"{what}.emails")
        first = emails[0] if emails else ""
        if isinstance(first, dict):  # `emails: [{"value": ...}]`
            email = text(first.get("value"), f"{what}.emails[0].value")
        else:
            email = text(first, f"{what}.emails[0]")
    return PersonRef(
        person_id,
        first_name(value, what),
        last_name(value, what),
        email_key(email) if email else "",
        text(value.get("type"), f"{what}.type"),
    )


def parse_thread(payload: Any, conversation_id: int | None = None) -> ParsedThread:
    """Parse a v2 Thread object, as embedded in a conversation or listed on its own
    (`conversation_id`: the conversation it was embedded in, when known).

    `data` keeps every field but `body`, which is stored once, in the `body` field.
    """
    data = require_object(payload, "thread", required=("id", "type"))
    get = data.get
    created_by = obj(get("createdBy"), "thread.createdBy")
    action = obj(get("action"), "thread.action")
    attachments = embedded(data, "attachments", "thread")
    if attachments is None:
        attachments = objects(get("attachments"), "thread.attachments")
    customer = person_ref(get("customer"), "thread.customer")
    created_at = to_datetime(get("createdAt"), "thread.createdAt")
    hs_updated_at = (
        to_datetime(get("updatedAt") or get("modifiedAt"), "thread.updatedAt") or created_at
    )
    creator_email = text(created_by.get("email"), "thread.createdBy.email")
    # The body is the bulk of a thread and has its own column: not stored twice.
    stored = dict(data)
    stored.pop("body", None)
    thread_id = to_id(data["id"], "thread.id")
    creator = "thread.createdBy"
    fields = {
        "id": thread_id,
        "type": text(get("type"), "thread.type"),
        "status": text(get("status"), "thread.status"),
        "state": text(get("state"), "thread.state"),
        "body": text(get("body"), "thread.body"),
        "action_type": text(action.get("type"), "thread.action.type"),
        "action_text": text(action.get("text"), "thread.action.text"),
        "created_by_type": text(created_by.get("type"), "thread.createdBy.type"),
        "created_by_id": optional_id(created_by.get("id"), "thread.createdBy.id"),
        "created_by_name": (
            f"{first_name(created_by, creator)} {last_name(created_by, creator)}".strip()
        ),
        "created_by_email": email_key(creator_email),
        "customer_id": customer.id if customer else None,
        "attachments": attachments,
        "to": _addresses(get("to"), "thread.to"),
        "cc": _addresses(get("cc"), "thread.cc"),
        "bcc": _addresses(get("bcc"), "thread.bcc"),
        "created_at": created_at,
        "data": stored,
        "hs_updated_at": hs_updated_at,
        "is_placeholder": False,
    }
    if conversation_id is not None:
        fields["conversation_id"] = conversation_id
    return ParsedThread(thread_id, hs_updated_at, customer, fields)
