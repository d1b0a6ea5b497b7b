"""The product's view of its accounts: `ORGANIZATION_OF_USER` and `ORGANIZATION_FIELDS`,
read and checked.

Never makes HTTP calls. A callable that returns something unusable raises `ValueError`
naming the key and what was wrong, so a push reports it instead of sending half a record.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType

from ..conf import get_settings

#: Keys ORGANIZATION_FIELDS may return (`name` is required).
FIELD_KEYS = ("name", "domains", "website", "description", "location", "phones", "properties")
NAME_MAX_LENGTH = 255


@dataclass
class AccountFields:
    """What the product says about one account; `None` means "not ours to set"."""

    name: str
    domains: list[str] | None = None
    website: str | None = None
    description: str | None = None
    location: str | None = None
    phones: list[str] | None = None
    properties: dict[str, Any] = field(default_factory=dict)


def configured() -> bool:
    conf = get_settings()
    return bool(conf.ORGANIZATION_OF_USER and conf.ORGANIZATION_FIELDS)


def account_of(user: Any) -> Any | None:
    """`ORGANIZATION_OF_USER(user)`: the user's product account, or None."""
    producer = get_settings().load_callable("ORGANIZATION_OF_USER")
    return None if producer is None else producer(user)


def account_key(account: Any) -> tuple[ContentType, str]:
    """How a stored mapping names an account: its model and primary key."""
    return ContentType.objects.get_for_model(type(account)), str(account.pk)


def _strings(key: str, value: Any, *, lower: bool = False) -> list[str]:
    if isinstance(value, str) or not hasattr(value, "__iter__"):
        raise ValueError(f"ORGANIZATION_FIELDS '{key}' must be a list of strings.")
    out: list[str] = []
    for item in value:
        if not isinstance(item, str):
            raise ValueError(f"ORGANIZATION_FIELDS '{key}' must be a list of strings.")
        item = item.strip().lower() if lower else item.strip()
        if item and item not in out:
            out.append(item)
    return out


def account_fields(account: Any) -> AccountFields:
    """`ORGANIZATION_FIELDS(account)`, checked; raises `ValueError` for unusable output."""
    producer = get_settings().load_callable("ORGANIZATION_FIELDS")
    if producer is None:
        raise ValueError("HELPSCOUT['ORGANIZATION_FIELDS'] is not set.")
    raw = producer(account)
    if not isinstance(raw, dict):
        raise ValueError(f"ORGANIZATION_FIELDS must return a dict, not {type(raw).__name__}.")
    unknown = sorted(set(raw) - set(FIELD_KEYS))
    if unknown:
        raise ValueError(
            f"ORGANIZATION_FIELDS returned unknown key(s) {', '.join(unknown)}; "
            f"expected {', '.join(FIELD_KEYS)}."
        )
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ValueError("ORGANIZATION_FIELDS must give a non-empty 'name'.")
    if len(name.strip()) > NAME_MAX_LENGTH:
        raise ValueError(f"ORGANIZATION_FIELDS 'name' is over {NAME_MAX_LENGTH} characters.")
    fields = AccountFields(name=name.strip())
    for key in ("website", "description", "location"):
        value = raw.get(key)
        if value is not None and not isinstance(value, str):
            raise ValueError(f"ORGANIZATION_FIELDS '{key}' must be a string or None.")
        setattr(fields, key, value.strip() if isinstance(value, str) else None)
    if fields.location is not None and fields.location:
        if len(fields.location) != 2 or not fields.location.isalpha():
            raise ValueError(
                "ORGANIZATION_FIELDS 'location' must be a two-letter country code "
                f"(Help Scout's format), got {fields.location!r:.20}."
            )
        fields.location = fields.location.upper()
    if raw.get("domains") is not None:
        fields.domains = _strings("domains", raw["domains"], lower=True)
    if raw.get("phones") is not None:
        fields.phones = _strings("phones", raw["phones"])
    properties = raw.get("properties") or {}
    if not isinstance(properties, dict) or not all(isinstance(k, str) for k in properties):
        raise ValueError("ORGANIZATION_FIELDS 'properties' must be a dict of slug -> value.")
    fields.properties = dict(properties)
    return fields
