"""The sandbox account's Organizations and organization properties: state and rules.

Follows Help Scout's documented behaviour (reference helpscout-api-2026.md section 1):
`PUT` replaces the whole record (omitted strings become null, arrays `[]`; `logoUrl`
stays), property values are strings checked against their definition's type (a dropdown
takes an option's exact label), at most 50 definitions, deleting an organization unlinks
its customers. Lives beside `Store` (its lock, clock and customers) and never touches
HTTP or JSON shapes' wire details beyond `shape()`.

`last_interaction_at` is when the organization, one of its property values or its set of
customers last changed: Help Scout does not document what it counts, so the sandbox takes
the narrowest reading (see docs/organizations.md).
"""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from .organization_records import Organization, OrganizationProperty
from .store import Invalid, NotFound

if TYPE_CHECKING:
    from .store import Store

MAX_DEFINITIONS = 50
MAX_OPTIONS = 100
PROPERTY_TYPES = ("text", "number", "url", "date", "dropdown")
STRING_FIELDS = ("name", "website", "description", "location", "note", "brandColor")
ARRAY_FIELDS = ("domains", "phones")
SORT_FIELDS = ("name", "customerCount", "conversationCount", "lastInteractionAt")
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")


_ATTRS = {
    "name": "name",
    "website": "website",
    "description": "description",
    "location": "location",
    "note": "note",
    "brandColor": "brand_color",
}


def _checked_record(data: dict[str, Any], *, creating: bool) -> dict[str, Any]:
    """Body -> attribute values, every string and array field present (a full record)."""
    errors: list[tuple[str, str, Any]] = []
    values: dict[str, Any] = {}
    for key, attr in _ATTRS.items():
        value = data.get(key)
        if value is not None and not isinstance(value, str):
            errors.append((key, "must be a string", value))
            continue
        values[attr] = value.strip() if isinstance(value, str) and value.strip() else None
    if not values.get("name"):
        errors.append(("name", "may not be empty", data.get("name")))
    elif len(values["name"]) > 255:
        errors.append(("name", "may be at most 255 characters", data.get("name")))
    if values.get("location") and not re.fullmatch(r"[A-Za-z]{2}", values["location"]):
        errors.append(("location", "must be a two-letter country code", values["location"]))
    elif values.get("location"):
        values["location"] = values["location"].upper()
    if values.get("brand_color") and not _HEX.match(values["brand_color"]):
        errors.append(("brandColor", "must be a hex colour such as #ff6600", values["brand_color"]))
    domains = data.get("domains")
    if domains is None and creating and isinstance(data.get("domain"), str):
        domains = [data["domain"]]  # the create page's example sends `domain` (singular)
    for key, found in (("domains", domains), ("phones", data.get("phones"))):
        if found is None:
            values[key] = []
        elif not isinstance(found, list) or not all(isinstance(v, str) for v in found):
            errors.append((key, "must be a list of strings", found))
        else:
            cleaned = [v.strip().lower() if key == "domains" else v.strip() for v in found]
            values[key] = list(dict.fromkeys(v for v in cleaned if v))
    if errors:
        raise Invalid(errors)
    return values


def check_value(definition: OrganizationProperty, value: Any) -> str:
    """The stored string for `value`, or `Invalid` naming why Help Scout would refuse it."""
    if not isinstance(value, str):
        raise Invalid([("value", "must be a string", value)])
    kind = definition.type
    if kind == "number" and not _NUMBER.match(value.strip()):
        raise Invalid([("value", 'must be a number written as a string, such as "100"', value)])
    if kind == "date":
        try:
            date.fromisoformat(value.strip())
        except ValueError:
            raise Invalid([("value", "must be a date such as 2024-01-15", value)]) from None
    if kind == "url":
        parts = urlsplit(value.strip())
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise Invalid([("value", "must be an http(s) URL", value)])
    if kind == "dropdown" and value not in definition.options:
        raise Invalid([("value", "must be the label of one of the property's options", value)])
    return value.strip() if kind in ("number", "date", "url") else value


class OrganizationBook:
    """The rules over one sandbox account's organizations and organization property
    definitions (`store.organizations`, `store.organization_properties`): a view, holding
    no state of its own, so `OrganizationBook(store)` may be made wherever needed."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.items: dict[int, Organization] = store.organizations
        self.definitions: dict[str, OrganizationProperty] = store.organization_properties

    # -- organizations ------------------------------------------------------------------

    def get(self, organization_id: int) -> Organization:
        found = self.items.get(organization_id)
        if found is None:
            raise NotFound(f"Organization {organization_id} not found")
        return found

    def create(self, data: dict[str, Any], *, at: float | None = None) -> Organization:
        with self.store.lock:
            values = _checked_record(data, creating=True)
            now = self.store.touch() if at is None else at
            logo = data.get("logoUrl") if isinstance(data.get("logoUrl"), str) else None
            org = Organization(
                id=self.store.next_id("organization"),
                created_at=now,
                last_interaction_at=now,
                logo_url=logo,
                **values,
            )
            self.items[org.id] = org
            return org

    def replace(self, organization_id: int, data: dict[str, Any]) -> Organization:
        """Help Scout's full-replace PUT: every omitted field is cleared."""
        with self.store.lock:
            org = self.get(organization_id)
            for attr, value in _checked_record(data, creating=False).items():
                setattr(org, attr, value)
            org.last_interaction_at = self.store.touch()
            return org

    def delete(self, organization_id: int) -> None:
        with self.store.lock:
            self.get(organization_id)
            del self.items[organization_id]
            for customer in self.store.customers.values():
                if customer.organization_id == organization_id:
                    customer.organization_id = None
            self.store.touch()

    def customers_of(self, organization_id: int) -> list:
        return sorted(
            (c for c in self.store.customers.values() if c.organization_id == organization_id),
            key=lambda c: c.id,
        )

    def conversation_ids_of(self, organization_id: int) -> list[int]:
        """Its customers' conversations, newest first (a scan: organizations are small)."""
        members = {c.id for c in self.customers_of(organization_id)}
        found = [c for c in self.store.conversations.values() if c.customer_id in members]
        found.sort(key=lambda c: (c.modified_at, c.id), reverse=True)
        return [c.id for c in found]

    def link_customer(self, customer, organization_id: int | None) -> None:
        """Set a customer's organization (None unlinks); the organization must exist."""
        if organization_id is not None:
            org = self.get(organization_id)
            org.last_interaction_at = self.store.touch()
        customer.organization_id = organization_id

    def sorted(self, sort: str | None) -> list[Organization]:
        field_name, _, direction = (sort or "lastInteractionAt,desc").partition(",")
        field_name = field_name.strip()
        direction = (direction.strip() or "desc").lower()
        if field_name not in SORT_FIELDS or direction not in ("asc", "desc"):
            raise Invalid(
                [("sort", f"must be one of {', '.join(SORT_FIELDS)}, then ,asc or ,desc", sort)]
            )
        items = list(self.items.values())
        if field_name in ("customerCount", "conversationCount"):
            counts = {o.id: self.counts(o)[field_name] for o in items}
            key = lambda o: (counts[o.id], o.id)  # noqa: E731
        elif field_name == "name":
            key = lambda o: (o.name.lower(), o.id)  # noqa: E731
        else:
            key = lambda o: (o.last_interaction_at, o.id)  # noqa: E731
        return sorted(items, key=key, reverse=direction == "desc")

    def counts(self, org: Organization) -> dict[str, int]:
        customers = self.customers_of(org.id)
        members = {c.id for c in customers}
        conversations = sum(
            1 for c in self.store.conversations.values() if c.customer_id in members
        )
        return {"customerCount": len(customers), "conversationCount": conversations}

    # -- properties ---------------------------------------------------------------------

    def define(self, data: dict[str, Any]) -> OrganizationProperty:
        with self.store.lock:
            kind, slug, name = data.get("type"), data.get("slug"), data.get("name")
            errors: list[tuple[str, str, Any]] = []
            if kind not in PROPERTY_TYPES:
                errors.append(("type", f"must be one of {', '.join(PROPERTY_TYPES)}", kind))
            if not isinstance(slug, str) or not 1 <= len(slug) <= 120:
                errors.append(("slug", "must be 1 to 120 characters", slug))
            elif slug in self.definitions:
                errors.append(("slug", "is already used by another property", slug))
            if not isinstance(name, str) or not name.strip() or len(name) > 100:
                errors.append(("name", "must be 1 to 100 characters", name))
            options = self._options(data.get("options"), errors) if kind == "dropdown" else []
            if not errors and len(self.definitions) >= MAX_DEFINITIONS:
                errors.append(
                    (
                        "slug",
                        f"an account has at most {MAX_DEFINITIONS} organization properties",
                        slug,
                    )
                )
            if errors:
                raise Invalid(errors)
            definition = OrganizationProperty(
                self.store.next_id("organization_property"),
                str(slug),
                str(name).strip(),
                str(kind),
                options,
            )
            self.definitions[definition.slug] = definition
            self.store.touch()
            return definition

    def redefine(self, slug: str, data: dict[str, Any]) -> OrganizationProperty:
        """Rename and (dropdown) replace the options; values of removed options go."""
        with self.store.lock:
            definition = self.definition(slug)
            errors: list[tuple[str, str, Any]] = []
            name = data.get("name")
            if not isinstance(name, str) or not name.strip() or len(name) > 100:
                errors.append(("name", "must be 1 to 100 characters", name))
            options = definition.options
            if definition.type == "dropdown" and "options" in data:
                options = self._options(data.get("options"), errors)
            if errors:
                raise Invalid(errors)
            definition.name = str(name).strip()
            if options is not definition.options:
                definition.options = options
                for org in self.items.values():
                    if slug in org.properties and org.properties[slug] not in options:
                        del org.properties[slug]
            self.store.touch()
            return definition

    def undefine(self, slug: str) -> None:
        with self.store.lock:
            self.definition(slug)
            del self.definitions[slug]
            for org in self.items.values():
                org.properties.pop(slug, None)
            self.store.touch()

    def definition(self, slug: str) -> OrganizationProperty:
        found = self.definitions.get(slug)
        if found is None:
            raise NotFound(f"Organization property {slug} not found")
        return found

    def set_value(self, organization_id: int, slug: str, value: Any) -> None:
        with self.store.lock:
            org = self.get(organization_id)
            org.properties[slug] = check_value(self.definition(slug), value)
            org.last_interaction_at = self.store.touch()

    def remove_value(self, organization_id: int, slug: str) -> None:
        with self.store.lock:
            org = self.get(organization_id)
            self.definition(slug)
            org.properties.pop(slug, None)
            org.last_interaction_at = self.store.touch()

    @staticmethod
    def _options(raw: Any, errors: list) -> list[str]:
        if raw is None:
            return []
        if not isinstance(raw, list) or len(raw) > MAX_OPTIONS:
            errors.append(("options", f"must be a list of at most {MAX_OPTIONS} options", raw))
            return []
        labels = []
        for n, option in enumerate(raw):
            label = option.get("label") if isinstance(option, dict) else None
            if not isinstance(label, str) or not label.strip() or len(label) > 100:
                errors.append((f"options[{n}].label", "must be 1 to 100 characters", option))
            else:
                labels.append(label)
        return labels

    # -- shapes -------------------------------------------------------------------------

    def shape(
        self, org: Organization, base: str, *, counts: bool = False, properties: bool = False
    ) -> dict[str, Any]:
        shaped: dict[str, Any] = {
            "id": org.id,
            "name": org.name,
            "website": org.website,
            "description": org.description,
            "location": org.location,
            "logoUrl": org.logo_url,
            "note": org.note,
            "domains": list(org.domains),
            "phones": list(org.phones),
            "brandColor": org.brand_color,
        }
        if counts:
            shaped.update(self.counts(org))
        if properties:
            shaped["properties"] = [
                self._property(self.definitions[slug], value)
                for slug, value in org.properties.items()
                if slug in self.definitions
            ]
        shaped["_links"] = {"self": {"href": f"{base}/organizations/{org.id}"}}
        return shaped

    @staticmethod
    def _property(definition: OrganizationProperty, value: str) -> dict[str, Any]:
        shaped: dict[str, Any] = {
            "definitionId": definition.id,
            "slug": definition.slug,
            "name": definition.name,
            "type": definition.type,
            "value": value,
        }
        if definition.type == "dropdown":
            shaped["options"] = [{"label": label} for label in definition.options]
        return shaped

    @staticmethod
    def shape_definition(definition: OrganizationProperty) -> dict[str, Any]:
        shaped: dict[str, Any] = {
            "type": definition.type,
            "slug": definition.slug,
            "name": definition.name,
        }
        if definition.type == "dropdown":
            shaped["options"] = [{"label": label} for label in definition.options]
        return shaped


def customer_organization_id(store: Store, value: Any, path: str = "organizationId") -> int | None:
    """A customer body's `organizationId`: None (unlinked) or an existing organization."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise Invalid([(path, "must be a number", value)])
    if value not in store.organizations:
        raise Invalid([(path, "Organization not found", value)])
    return value
