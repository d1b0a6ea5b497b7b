"""Help Scout customer JSON -> Customer field values. Pure: no ORM, no HTTP."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ..emails import email_key
from ..jsontypes import JSONArray, JSONObject
from ._fields import embedded, items, optional_id, require_object, text, to_datetime, to_id


@dataclass(slots=True)
class ParsedCustomer:
    id: int
    hs_updated_at: datetime | None
    fields: dict[str, Any]  # Customer model fields, `data` included


def _values(entries: JSONArray, *, as_email: bool = False) -> list[str]:
    out: list[str] = []
    for entry in entries:
        value = entry.get("value") if isinstance(entry, dict) else entry
        value = text(value).strip()
        if as_email:
            value = email_key(value)
        if value and value not in out:
            out.append(value)
    return out


def _emails(payload: Mapping[str, Any]) -> list[str]:
    # v2 objects list emails under _embedded.emails; webhook/rating objects use a top-level
    # `emails` list; persons nested in conversations carry a single `email`.
    found = embedded(payload, "emails")
    if found is None:
        found = items(payload.get("emails"))
    emails = _values(found, as_email=True)
    single = email_key(text(payload.get("email")))
    if single and single not in emails:
        emails.insert(0, single)
    return emails


def _phones(payload: Mapping[str, Any]) -> list[JSONObject]:
    found = embedded(payload, "phones")
    if found is None:
        found = items(payload.get("phones"))
    phones = []
    for entry in found:
        if isinstance(entry, dict):
            value = text(entry.get("value")).strip()
            if value:
                phones.append({"value": value, "type": text(entry.get("type"))})
        elif text(entry).strip():
            phones.append({"value": text(entry).strip(), "type": ""})
    return phones


def _properties(payload: Mapping[str, Any]) -> dict[str, Any]:
    found = embedded(payload, "properties")
    if found is None:
        raw = payload.get("properties")
        if isinstance(raw, dict):
            return dict(raw)
        found = items(raw)
    return {
        text(p.get("slug")): p.get("value") for p in found if isinstance(p, dict) and p.get("slug")
    }


def parse_customer(payload: Any) -> ParsedCustomer:
    """Parse a v2 Customer object (from `/customers`, a webhook, or a rating's customer).

    All emails are kept in `emails` as comparison keys (`emails.email_key`: ASCII
    addresses lower-cased, others exactly as given); the first listed is the primary
    `email`.
    """
    data = require_object(payload, "customer")
    customer_id = to_id(data["id"], "customer id")
    emails = _emails(data)
    hs_updated_at = to_datetime(
        data.get("updatedAt") or data.get("modifiedAt") or data.get("createdAt"),
        "customer updatedAt",
    )
    address = data.get("location") or ""
    fields = {
        "first_name": text(data.get("firstName", data.get("first"))),
        "last_name": text(data.get("lastName", data.get("last"))),
        "email": emails[0] if emails else "",
        "emails": emails,
        "phones": _phones(data),
        "organization_id": optional_id(data.get("organizationId"), "customer organizationId"),
        "organization_name": text(data.get("organization")),
        "job_title": text(data.get("jobTitle")),
        "location": text(address),
        "photo_url": text(data.get("photoUrl")),
        "background": text(data.get("background")),
        "properties": _properties(data),
        "created_at": to_datetime(data.get("createdAt"), "customer createdAt"),
        "updated_at": to_datetime(data.get("updatedAt"), "customer updatedAt"),
        "is_deleted": False,
        "data": data,
        "hs_updated_at": hs_updated_at,
        "is_placeholder": False,
    }
    return ParsedCustomer(id=customer_id, hs_updated_at=hs_updated_at, fields=fields)
