"""Help Scout Organization, organization property and Team JSON -> model field values.

Pure: no ORM, no HTTP. Shapes (see docs/organizations.md and tests/contract/): an
organization's `domains`/`phones` are string arrays, `properties` (only with
`includeProperties=true`) is a list of `{slug, name, type, value, options}` whose values
are strings, and `customerCount`/`conversationCount` come only with `includeCounts=true`.
A parser never invents a value the payload did not carry: counts and properties absent
from a payload are reported absent (`None`), so a writer can keep the ones it has.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ..exceptions import PayloadError
from ..jsontypes import JSONObject
from ._fields import embedded, items, require_object, text, to_datetime, to_id
from .directory import ParsedObject, parse_user

PROPERTY_TYPES = ("text", "number", "url", "date", "dropdown")


@dataclass(slots=True)
class ParsedOrganization:
    id: int
    hs_updated_at: datetime | None  # Help Scout sends no modification time: always None
    fields: dict[str, Any]  # Organization model fields, `data` included; see module doc


@dataclass(slots=True)
class PropertyDefinition:
    """One organization property definition (`/organizations/properties`)."""

    slug: str
    name: str
    type: str
    options: list[str]  # dropdown option labels, in order


def _strings(value: Any, *, lower: bool = False, what: str = "organization list") -> list[str]:
    out: list[str] = []
    for index, entry in enumerate(items(value, what)):
        if isinstance(entry, dict):  # tolerate `{"value": ...}` as customers send phones
            entry = entry.get("value")
        found = text(entry, f"{what}[{index}]").strip()
        if lower:
            found = found.lower()
        if found and found not in out:
            out.append(found)
    return out


def _count(data: JSONObject, key: str) -> int | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise PayloadError(f"organization {key} must be a non-negative number, got {value!r:.40}.")
    return value


def organization_property_values(value: Any) -> dict[str, str]:
    """`properties[]` of an organization -> {slug: value string} (values kept as sent)."""
    out: dict[str, str] = {}
    for index, entry in enumerate(items(value, "organization.properties")):
        if isinstance(entry, dict) and entry.get("slug"):
            raw = entry.get("value")
            slug = text(entry["slug"], f"organization.properties[{index}].slug")
            out[slug] = "" if raw is None else str(raw)  # a value of any type, as its text
    return out


def parse_organization(payload: Any) -> ParsedOrganization:
    """Parse a v2 Organization object (list item, `GET /organizations/{id}`)."""
    data = require_object(payload, "organization")
    if "name" not in data:
        raise PayloadError("Not a Help Scout organization: no 'name'.")
    fields: dict[str, Any] = {
        "name": text(data.get("name"), "organization.name"),
        "domains": _strings(data.get("domains"), lower=True, what="organization.domains"),
        "website": text(data.get("website"), "organization.website"),
        "description": text(data.get("description"), "organization.description"),
        "location": text(data.get("location"), "organization.location"),
        "note": text(data.get("note"), "organization.note"),
        "phones": _strings(data.get("phones"), what="organization.phones"),
        "brand_color": text(data.get("brandColor"), "organization.brandColor"),
        "logo_url": text(data.get("logoUrl"), "organization.logoUrl"),
        "last_interaction_at": to_datetime(
            data.get("lastInteractionAt"), "organization lastInteractionAt"
        ),
        "data": data,
        "hs_updated_at": None,
        "is_placeholder": False,
    }
    # Absent unless asked for: only then do they overwrite what the row holds.
    if "properties" in data:
        fields["properties"] = organization_property_values(data.get("properties"))
    for key, field in (
        ("customerCount", "customer_count"),
        ("conversationCount", "conversation_count"),
    ):
        if key in data:
            fields[field] = _count(data, key)
    return ParsedOrganization(to_id(data["id"], "organization id"), None, fields)


def parse_property_definition(payload: Any) -> PropertyDefinition:
    data = require_object(payload, "organization property", required=("slug", "type"))
    kind = text(data.get("type"), "property.type")
    return PropertyDefinition(
        slug=text(data["slug"], "property.slug"),
        name=text(data.get("name"), "property.name"),
        type=kind,
        options=[
            text(o.get("label"), "property.options.label")
            for o in items(data.get("options"), "property.options")
            if isinstance(o, dict)
        ],
    )


def parse_property_definitions(page: Any) -> list[PropertyDefinition]:
    """`GET /organizations/properties` -> definitions (an empty list may omit `_embedded`)."""
    body = require_object(page, "organization property list", required=())
    return [parse_property_definition(p) for p in embedded(body, "organization-properties") or []]


def parse_team(payload: Any) -> ParsedObject:
    """A v2 Team (`GET /teams`): `id, name, timezone, photoUrl, mention, initials`."""
    data = require_object(payload, "team")
    created = to_datetime(data.get("createdAt"), "team createdAt")
    updated = to_datetime(data.get("updatedAt"), "team updatedAt")
    fields = {
        "name": text(data.get("name"), "team.name"),
        "timezone": text(data.get("timezone"), "team.timezone"),
        "photo_url": text(data.get("photoUrl"), "team.photoUrl"),
        "mention": text(data.get("mention"), "team.mention"),
        "created_at": created,
        "updated_at": updated,
        "data": data,
        "hs_updated_at": updated or created,
        "is_placeholder": False,
    }
    return ParsedObject(
        id=to_id(data["id"], "team id"), hs_updated_at=updated or created, fields=fields
    )


def parse_team_member(payload: Any) -> ParsedObject:
    """A User listed by `GET /teams/{id}/members`: an agent, parsed as `/users` items are."""
    return parse_user(payload)
