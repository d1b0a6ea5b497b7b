"""Help Scout satisfaction rating JSON -> SatisfactionRating field values. Pure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ._fields import obj, optional_id, require_object, text, to_datetime, to_id
from .customer import ParsedCustomer, parse_customer
from .refs import PersonRef
from .thread import person_ref


@dataclass(slots=True)
class ParsedRating:
    id: int
    hs_updated_at: datetime | None
    conversation_id: int | None
    customer: ParsedCustomer | PersonRef | None
    agent: PersonRef | None
    mailbox_id: int | None
    fields: dict[str, Any]


def parse_rating(payload: Any) -> ParsedRating:
    """Parse a rating from the `satisfaction.ratings` webhook or `GET /ratings/{id}`.

    The old webhook names the conversation `ticketId` and the mailbox `mailbox`, and nests
    a partial customer; the v2 shape uses `conversationId`, `mailboxId`, `customerId` (or
    a nested `customer`) and `userId` (or `user`), rates `great`, `okay` or `not_good`, and
    may send `createdAt` without a zone (UTC). The rating is lower-cased as sent.
    """
    data = require_object(payload, "satisfaction rating", required=("id", "rating"))
    customer: ParsedCustomer | PersonRef | None = None
    nested = obj(data.get("customer"), "rating.customer")
    if nested.get("id"):
        customer = parse_customer(nested)
    elif (customer_id := optional_id(data.get("customerId"), "rating.customerId")) is not None:
        customer = PersonRef(id=customer_id)
    agent = person_ref(data.get("user") or data.get("userId"), "rating.user")
    conversation_id = optional_id(
        data.get("conversationId") or data.get("ticketId"), "rating.conversationId"
    )
    created_at = to_datetime(data.get("createdAt"), "rating.createdAt")
    hs_updated_at = to_datetime(data.get("modifiedAt"), "rating.modifiedAt") or created_at
    fields = {
        "conversation_id": conversation_id,
        "thread_id": optional_id(data.get("threadId"), "rating.threadId"),
        "customer_id": customer.id if customer else None,
        "agent_id": agent.id if agent else None,
        "rating": text(data.get("rating"), "rating.rating").strip().lower(),
        "comments": text(data.get("comments"), "rating.comments"),
        "created_at": created_at,
        "data": data,
        "hs_updated_at": hs_updated_at,
        "is_placeholder": False,
    }
    return ParsedRating(
        id=to_id(data["id"], "rating.id"),
        hs_updated_at=hs_updated_at,
        conversation_id=conversation_id,
        customer=customer,
        agent=agent,
        mailbox_id=optional_id(data.get("mailboxId") or data.get("mailbox"), "rating.mailboxId"),
        fields=fields,
    )
