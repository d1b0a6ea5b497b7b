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


def _values(entries: JSONArray, what: str, *, as_email: bool = False) -> list[str]:
    out: list[str] = []
    for index, entry in enumerate(entries):
        if isinstance(entry, dict):
            value = text(entry.get("value"), f"{what}[{index}].value").strip()
        else:
            value = text(entry, f"{what}[{index}]").strip()
        if as_email:
            value = email_key(value)
        if value and value not in out:
            out.append(value)
    return out


def _emails(payload: Mapping[str, Any]) -> list[str]:
    # v2 objects list emails under _embedded.emails; webhook/rating objects use a top-level
    # `emails` list; persons nested in conversations carry a single `email`.
    found = embedded(payload, "emails", "customer")
    if found is None:
        found = items(payload.get("emails"), "customer.emails")
    emails = _values(found, "customer.emails", as_email=True)
    single = email_key(text(payload.get("email"), "customer.email"))
    if single and single not in emails:
        emails.insert(0, single)
    return emails


def _phones(payload: Mapping[str, Any]) -> list[JSONObject]:
    found = embedded(payload, "phones", "customer")
    if found is None:
        found = items(payload.get("phones"), "customer.phones")
    phones = []
    for index, entry in enumerate(found):
        where = f"customer.phones[{index}]"
        if isinstance(entry, dict):
            value = text(entry.get("value"), f"{where}.value").strip()
            if value:
                phones.append({"value": value, "type": text(entry.get("type"), f"{where}.type")})
        elif text(entry, where).strip():
            phones.append({"value": entry.strip(), "type": ""})
    return phones


def _properties(payload: Mapping[str, Any]) -> dict[str, Any]:
    found = embedded(payload, "properties", "customer")
    if found is None:
        raw = payload.get("properties")
        if isinstance(raw, dict):
            return dict(raw)
        found = items(raw, "customer.properties")
    return {
        text(p.get("slug"), f"customer.properties[{index}].slug"): p.get("value")
        for index, p in enumerate(found)
        if isinstance(p, dict) and p.get("slug")
    }


def _name(data: Mapping[str, Any], key: str, short: str) -> str:
    """`firstName` (top-level objects) or `first` (persons nested elsewhere)."""
    if key in data:
        return text(data[key], f"customer.{key}")
    return text(data.get(short), f"customer.{short}")


def parse_customer(payload: Any) -> ParsedCustomer:
    """Parse a v2 Customer object (from `/customers`, a webhook, or a rating's customer).

    All emails are kept in `emails` as comparison keys (`emails.email_key`: ASCII
    addresses lower-cased, others exactly as given); the first listed is the primary
    `email`.
    """
    data = require_object(payload, "customer")
    customer_id = to_id(data["id"], "customer.id")
    emails = _emails(data)
    hs_updated_at = to_datetime(
        data.get("updatedAt") or data.get("modifiedAt") or data.get("createdAt"),
        "customer.updatedAt",
    )
    fields = {
        "first_name": _name(data, "firstName", "first"),
        "last_name": _name(data, "lastName", "last"),
        "email": emails[0] if emails else "",
        "emails": emails,
        "phones": _phones(data),
        "organization_id": optional_id(data.get("organizationId"), "customer.organizationId"),
        "organization_name": text(data.get("organization"), "customer.organization"),
        "job_title": text(data.get("jobTitle"), "customer.jobTitle"),
        "location": text(data.get("location"), "customer.location"),
        "photo_url": text(data.get("photoUrl"), "customer.photoUrl"),
        "background": text(data.get("background"), "customer.background"),
        "properties": _properties(data),
        "created_at": to_datetime(data.get("createdAt"), "customer.createdAt"),
        "updated_at": to_datetime(data.get("updatedAt"), "customer.updatedAt"),
        "is_deleted": False,
        "data": data,
        "hs_updated_at": hs_updated_at,
        "is_placeholder": False,
    }
    return ParsedCustomer(id=customer_id, hs_updated_at=hs_updated_at, fields=fields)
