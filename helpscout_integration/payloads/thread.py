"""Help Scout thread JSON (one message, note or system line of a conversation) -> Thread
field values. Pure: no ORM, no HTTP.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

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


@dataclass(frozen=True)
class ParsedThread:
    id: int
    hs_updated_at: datetime | None
    customer: PersonRef | None
    fields: dict  # Thread model fields except `conversation`, `data` included


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
    person = obj(value) if isinstance(value, dict) else {"id": value}
    person_id = optional_id(person.get("id"), what)
    if person_id is None:
        return None
    emails = person.get("emails")
    email = person.get("email") or (items(emails)[0] if items(emails) else "")
    if isinstance(email, dict):
        email = email.get("value")
    return PersonRef(
        id=person_id,
        first_name=first_name(person),
        last_name=last_name(person),
        email=text(email).strip().lower(),
    )


def parse_thread(payload: Any) -> ParsedThread:
    """Parse a v2 Thread object, as embedded in a conversation or listed on its own.

    `data` keeps every field but `body`, which is stored once, in the `body` field.
    """
    data = require_object(payload, "thread", required=("id", "type"))
    created_by = obj(data.get("createdBy"))
    action = obj(data.get("action"))
    attachments = embedded(data, "attachments")
    if attachments is None:
        attachments = items(data.get("attachments"))
    customer = person_ref(data.get("customer"), "thread customer id")
    created_at = to_datetime(data.get("createdAt"), "thread createdAt")
    hs_updated_at = (
        to_datetime(data.get("updatedAt") or data.get("modifiedAt"), "thread updatedAt")
        or created_at
    )
    creator_email = created_by.get("email")
    fields = {
        "type": text(data.get("type")),
        "status": text(data.get("status")),
        "state": text(data.get("state")),
        "body": text(data.get("body")),
        "action_type": text(action.get("type")),
        "action_text": text(action.get("text")),
        "created_by_type": text(created_by.get("type")),
        "created_by_id": optional_id(created_by.get("id"), "thread createdBy id"),
        "created_by_name": f"{first_name(created_by)} {last_name(created_by)}".strip(),
        "created_by_email": text(creator_email).strip().lower(),
        "customer_id": customer.id if customer else None,
        "attachments": attachments,
        "to": _addresses(data.get("to")),
        "cc": _addresses(data.get("cc")),
        "bcc": _addresses(data.get("bcc")),
        "created_at": created_at,
        # The body is the bulk of a thread and has its own column: not stored twice.
        "data": {key: value for key, value in data.items() if key != "body"},
        "hs_updated_at": hs_updated_at,
        "is_placeholder": False,
    }
    return ParsedThread(
        id=to_id(data["id"], "thread id"),
        hs_updated_at=hs_updated_at,
        customer=customer,
        fields=fields,
    )
