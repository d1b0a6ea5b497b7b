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


def _addresses(value: Any) -> list[str]:
    if not value:
        return []
    out = []
    for entry in items(value):
        address = entry.get("email") if isinstance(entry, dict) else entry
        address = text(address).strip()
        if address:
            out.append(address)
    return out


def person_ref(value: Any, what: str) -> PersonRef | None:
    """A nested person (`{"id", "first", "last", "email"}`) or a bare id, as a reference."""
    if not isinstance(value, dict):
        person_id = optional_id(value, what)
        return None if person_id is None else PersonRef(person_id)
    person_id = optional_id(value.get("id"), what)
    if person_id is None:
        return None
    email = value.get("email")
    if not email:
        emails = items(value.get("emails"))
        email = emails[0] if emails else ""
    if isinstance(email, dict):  # `emails: [{"value": ...}]`
        email = email.get("value")
    return PersonRef(
        person_id,
        first_name(value),
        last_name(value),
        email_key(text(email)) if email else "",
        text(value.get("type")),
    )


def parse_thread(payload: Any, conversation_id: int | None = None) -> ParsedThread:
    """Parse a v2 Thread object, as embedded in a conversation or listed on its own
    (`conversation_id`: the conversation it was embedded in, when known).

    `data` keeps every field but `body`, which is stored once, in the `body` field.
    """
    data = require_object(payload, "thread", required=("id", "type"))
    get = data.get
    created_by = obj(get("createdBy"))
    action = obj(get("action"))
    attachments = embedded(data, "attachments")
    if attachments is None:
        attachments = items(get("attachments"))
    customer = person_ref(get("customer"), "thread customer id")
    created_at = to_datetime(get("createdAt"), "thread createdAt")
    hs_updated_at = (
        to_datetime(get("updatedAt") or get("modifiedAt"), "thread updatedAt") or created_at
    )
    creator_email = created_by.get("email")
    # The body is the bulk of a thread and has its own column: not stored twice.
    stored = dict(data)
    stored.pop("body", None)
    thread_id = to_id(data["id"], "thread id")
    fields = {
        "id": thread_id,
        "type": text(get("type")),
        "status": text(get("status")),
        "state": text(get("state")),
        "body": text(get("body")),
        "action_type": text(action.get("type")),
        "action_text": text(action.get("text")),
        "created_by_type": text(created_by.get("type")),
        "created_by_id": optional_id(created_by.get("id"), "thread createdBy id"),
        "created_by_name": f"{first_name(created_by)} {last_name(created_by)}".strip(),
        "created_by_email": email_key(text(creator_email)),
        "customer_id": customer.id if customer else None,
        "attachments": attachments,
        "to": _addresses(get("to")),
        "cc": _addresses(get("cc")),
        "bcc": _addresses(get("bcc")),
        "created_at": created_at,
        "data": stored,
        "hs_updated_at": hs_updated_at,
        "is_placeholder": False,
    }
    if conversation_id is not None:
        fields["conversation_id"] = conversation_id
    return ParsedThread(thread_id, hs_updated_at, customer, fields)
