"""Help Scout mailbox, user (agent) and tag JSON -> model field values. Pure: no ORM, no HTTP."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ..emails import email_key
from ..exceptions import PayloadError
from ..jsontypes import JSONObject
from ._fields import first_name, last_name, require_object, text, to_datetime, to_id


@dataclass(slots=True)
class ParsedObject:
    """A parsed mailbox, agent or tag: its id, modification time and model fields."""

    id: int
    hs_updated_at: datetime | None
    fields: dict[str, Any]  # model fields, `data` included


def _timestamps(data: JSONObject, kind: str) -> tuple[datetime | None, datetime | None]:
    created = to_datetime(data.get("createdAt"), f"{kind}.createdAt")
    updated = to_datetime(data.get("updatedAt") or data.get("modifiedAt"), f"{kind}.updatedAt")
    return created, updated


def parse_mailbox(payload: Any) -> ParsedObject:
    data = require_object(payload, "mailbox")
    created, updated = _timestamps(data, "mailbox")
    fields = {
        "name": text(data.get("name"), "mailbox.name"),
        "slug": text(data.get("slug"), "mailbox.slug"),
        "email": email_key(text(data.get("email"), "mailbox.email")),
        "created_at": created,
        "updated_at": updated,
    }
    return _parsed(to_id(data["id"], "mailbox.id"), data, updated or created, fields)


def parse_user(payload: Any) -> ParsedObject:
    """A Help Scout user: an agent (or a team, `type` "team") who works conversations."""
    data = require_object(payload, "user")
    created, updated = _timestamps(data, "user")
    fields = {
        "first_name": first_name(data, "user"),
        "last_name": last_name(data, "user"),
        "email": email_key(text(data.get("email"), "user.email")),
        "role": text(data.get("role"), "user.role"),
        "type": text(data.get("type"), "user.type"),
        "timezone": text(data.get("timezone"), "user.timezone"),
        "photo_url": text(data.get("photoUrl"), "user.photoUrl"),
        "created_at": created,
        "updated_at": updated,
    }
    return _parsed(to_id(data["id"], "user.id"), data, updated or created, fields)


def parse_tag(payload: Any) -> ParsedObject:
    """A tag from `/tags` (`name`, `slug`) or as a conversation lists it (`tag`)."""
    data = require_object(payload, "tag")
    if not (data.get("name") or data.get("tag") or data.get("slug")):
        raise PayloadError("Not a Help Scout tag: no 'name', 'tag' or 'slug'.")
    created, updated = _timestamps(data, "tag")
    name = text(data.get("name") or data.get("tag") or data.get("slug"), "tag.name")
    fields = {
        "name": name,
        "slug": text(data.get("slug") or data.get("tag") or name, "tag.slug").lower(),
        "color": text(data.get("color"), "tag.color"),
        "created_at": created,
        "updated_at": updated,
    }
    return _parsed(to_id(data["id"], "tag.id"), data, updated or created, fields)


def _parsed(
    object_id: int, data: JSONObject, hs_updated_at: datetime | None, fields: dict[str, Any]
) -> ParsedObject:
    fields.update(data=data, hs_updated_at=hs_updated_at, is_placeholder=False)
    return ParsedObject(id=object_id, hs_updated_at=hs_updated_at, fields=fields)
