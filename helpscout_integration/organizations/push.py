"""Push one product account to Help Scout as an Organization, and link its users.

Help Scout's `PUT /organizations/{id}` replaces the whole record, so the push reads the
organization first and sends back everything it holds, changing only the fields the
product owns (those `ORGANIZATION_FIELDS` gives, not None). For `domains` and `phones`
it replaces only what it sent last time (`AccountOrganization.owned`): entries an agent
added in Help Scout stay. Property values are sent one by one (`PUT .../properties/
{slug}`), only when they differ; a property the product stops giving (None) is removed
only if Help Scout still holds the value the push sent. Nothing is written when nothing
changed, so a repeated push costs one read per account and one per user.

Never raises for bad data or a Help Scout error: the result says what happened, per
account, so a bulk push keeps going. Never logs the product's values.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from ..customer_properties.context import user_email
from ..emails import Refusal, refusal
from ..exceptions import HelpScoutError, NotFoundError
from ..models import AccountOrganization, Customer, Organization
from ..payloads import PropertyDefinition, parse_property_definitions
from ..payloads.organization import organization_property_values
from .context import AccountFields, account_fields, account_key
from .finding import OrganizationIndex, find_in_mirror, taken_ids
from .values import MAX_DEFINITIONS, infer_definition, to_wire

logger = logging.getLogger(__name__)

#: The organization's own fields, as `PUT` takes them (everything it would clear).
RECORD_KEYS = ("name", "website", "description", "location", "note", "brandColor")
LIST_KEYS = ("domains", "phones")
NAME_MAX_LENGTH = 40  # Help Scout customer names: 1-40 characters


@dataclass
class OrganizationPushResult:
    """The outcome of pushing one account."""

    account: str
    organization_id: int | None = None
    created: bool = False
    found_again: bool = False  # the mapping was lost; found by domain or name
    updated_fields: list[str] = field(default_factory=list)
    pushed: dict[str, str] = field(default_factory=dict)  # property slug -> value sent
    removed: list[str] = field(default_factory=list)  # property values removed
    invalid: dict[str, str] = field(default_factory=dict)  # slug -> why it was not sent
    created_definitions: list[str] = field(default_factory=list)
    linked_customers: list[int] = field(default_factory=list)
    created_customers: int = 0
    # user pk -> why their address was refused (the identity rule): never sent, not linked
    refused_users: dict[Any, Refusal] = field(default_factory=dict)
    planned: list[str] = field(default_factory=list)  # --dry-run: the writes it would make
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.error and not self.invalid and not self.refused_users

    def summary(self) -> str:
        if self.error:
            return f"{self.account}: failed: {self.error}"
        what = "created" if self.created else "updated" if self.updated_fields else "unchanged"
        parts = [f"{self.account}: organization {self.organization_id or '(new)'} {what}"]
        if self.pushed:
            parts.append(f"{len(self.pushed)} properties set")
        parts += [f"{slug} {why}" for slug, why in sorted(self.invalid.items())]
        parts += [
            f"user {pk} not linked: the user's email address {refused.reason}"
            for pk, refused in self.refused_users.items()
        ]
        if self.linked_customers:
            parts.append(f"{len(self.linked_customers)} customers linked")
        return "; ".join(parts)


class OrganizationPusher:
    """Pushes accounts with one client; definitions and the organization index are read
    once per pusher (share one across a bulk push)."""

    def __init__(self, client: Any, *, dry_run: bool = False) -> None:
        self.client = client
        self.dry_run = dry_run
        self._definitions: dict[str, PropertyDefinition] | None = None
        self.index = OrganizationIndex(client)

    # -- entry point --------------------------------------------------------------------

    def push(self, account: Any, users: Sequence[Any] = ()) -> OrganizationPushResult:
        kind, pk = account_key(account)
        result = OrganizationPushResult(account=f"{kind.model} {pk}")
        try:
            fields = account_fields(account)
        except Exception as exc:  # the host's callable: report, never crash a bulk push
            logger.warning("ORGANIZATION_FIELDS failed for %s: %s", result.account, exc)
            result.error = str(exc) if isinstance(exc, ValueError) else type(exc).__name__
            return result
        mapping = AccountOrganization.objects.filter(account_type=kind, account_id=pk).first()
        owned: dict[str, Any] = dict(mapping.owned) if mapping else {}
        try:
            current = self._current(mapping, fields, result)
            if current is None:
                org_id = self._create(fields, result)
                current_props: dict[str, str] = {}
            else:
                org_id = int(current["id"])
                self._update(current, fields, owned, result)
                current_props = organization_property_values(current.get("properties"))
            result.organization_id = org_id
            owned_props = self._properties(org_id, fields, owned, current_props, result)
            for user in users:
                self._link_customer(org_id, user, result)
        except HelpScoutError as exc:
            result.error = str(exc) or type(exc).__name__
            logger.warning("Organization push: %s", result.summary())
            return result
        if not self.dry_run and result.organization_id is not None:
            self._remember(kind, pk, mapping, fields, owned_props, result)
        if not result.ok:
            logger.warning("Organization push: %s", result.summary())
        return result

    # -- the organization ---------------------------------------------------------------

    def _current(self, mapping, fields: AccountFields, result) -> dict | None:
        if mapping is not None:
            try:
                return self.client.organizations.get(mapping.organization_id, properties=True)
            except NotFoundError:
                pass  # deleted in Help Scout: look for another, else create
        taken = taken_ids(except_for=mapping)
        domains = fields.domains or []
        found = find_in_mirror(fields.name, domains, taken)
        if found is None:
            found = self.index.find(fields.name, domains, taken)
        if found is None:
            return None
        try:
            current = self.client.organizations.get(found, properties=True)
        except NotFoundError:
            return None
        result.found_again = True
        return current

    def _create(self, fields: AccountFields, result) -> int:
        body: dict[str, Any] = {"name": fields.name}
        for key in ("website", "description", "location"):
            if getattr(fields, key):
                body[key] = getattr(fields, key)
        for key in LIST_KEYS:
            if getattr(fields, key):
                body[key] = getattr(fields, key)
        result.created = True
        if self.dry_run:
            result.planned.append(f"create organization {fields.name!r}")
            return 0
        org_id = self.client.organizations.create(body)
        self.index.add(org_id, fields.name, fields.domains or ())
        return org_id

    def _update(self, current: dict, fields: AccountFields, owned: dict, result) -> None:
        """Read-modify-write around the full-replace PUT: only owned fields change."""
        record: dict[str, Any] = {key: current.get(key) for key in RECORD_KEYS}
        lists: dict[str, list[str]] = {key: list(current.get(key) or []) for key in LIST_KEYS}
        record.update(lists)
        body = {**record, "name": fields.name}
        for key in ("website", "description", "location"):
            if getattr(fields, key) is not None:
                body[key] = getattr(fields, key) or None
        for key in LIST_KEYS:
            ours = getattr(fields, key)
            if ours is None:
                continue
            before = set(owned.get(key) or ())
            kept = [v for v in lists[key] if v not in before or v in ours]
            body[key] = kept + [v for v in ours if v not in kept]
        result.updated_fields = [k for k in body if body[k] != record[k]]
        if not result.updated_fields:
            return
        if self.dry_run:
            result.planned.append(f"update {', '.join(result.updated_fields)}")
            return
        self.client.organizations.update(int(current["id"]), body)

    # -- properties ---------------------------------------------------------------------

    def definitions(self) -> dict[str, PropertyDefinition]:
        if self._definitions is None:
            found = self.client.organizations.property_definitions()
            page = {"_embedded": {"organization-properties": found}}
            self._definitions = {d.slug: d for d in parse_property_definitions(page)}
        return self._definitions

    def _definition(self, slug: str, value: Any, result) -> PropertyDefinition | None:
        definitions = self.definitions()
        if slug in definitions:
            return definitions[slug]
        if len(definitions) >= MAX_DEFINITIONS:
            result.invalid[slug] = (
                f"has no definition and Help Scout allows at most {MAX_DEFINITIONS} "
                "organization properties (delete unused ones in Help Scout, or stop "
                "sending this one)"
            )
            return None
        new = infer_definition(slug, value)
        if self.dry_run:
            result.planned.append(f"define {new.type} property {slug!r}")
        else:
            self.client.organizations.create_property_definition(new.body())
        definitions[slug] = new.as_definition()
        result.created_definitions.append(slug)
        return definitions[slug]

    def _properties(self, org_id, fields, owned, current: dict[str, str], result) -> dict:
        owned_props: dict[str, str] = dict(owned.get("properties") or {})
        for slug, value in fields.properties.items():
            if value is None:
                if slug in owned_props and current.get(slug) == owned_props[slug]:
                    self._write(
                        result,
                        f"remove {slug!r}",
                        lambda s=slug: self.client.organizations.remove_property(org_id, s),
                    )
                    result.removed.append(slug)
                owned_props.pop(slug, None)
                continue
            definition = self._definition(slug, value, result)
            if definition is None:
                continue
            try:
                wire = to_wire(definition, value)
            except ValueError as exc:
                result.invalid[slug] = f"({definition.type}) {exc}"
                continue
            owned_props[slug] = wire
            if current.get(slug) == wire:
                continue
            self._write(
                result,
                f"set {slug!r}",
                lambda s=slug, w=wire: self.client.organizations.set_property(org_id, s, w),
            )
            result.pushed[slug] = wire
        return owned_props

    def _write(self, result, description: str, call) -> None:
        if self.dry_run:
            result.planned.append(description)
        else:
            call()

    # -- customers ----------------------------------------------------------------------

    def _link_customer(self, org_id: int, user: Any, result) -> None:
        """Link `user`'s Help Scout customer to the organization (created when missing).

        The link is `PATCH /customers/{id}` replacing `/organizationId`: that path is not
        on Help Scout's page (see docs/organizations.md).
        """
        email = user_email(user)
        if not email:
            return
        # The identity rule, as property pushes apply it: an address Help Scout might fold
        # onto another customer's is never looked up, created or linked there.
        refused = refusal(email)
        if refused is not None:
            result.refused_users[getattr(user, "pk", None)] = refused
            return
        found = self.client.customers.find_by_email(email)
        if found is None:
            body: dict[str, Any] = {"emails": [{"type": "work", "value": email}]}
            for key, attribute in (("firstName", "first_name"), ("lastName", "last_name")):
                value = (getattr(user, attribute, "") or "").strip()[:NAME_MAX_LENGTH]
                if value:
                    body[key] = value
            if org_id:
                body["organizationId"] = org_id
            result.created_customers += 1
            if self.dry_run:
                result.planned.append("create a customer")
                return
            customer_id = self.client.customers.create(body)
        else:
            customer_id = int(found["id"])
            if found.get("organizationId") != org_id:
                operation = {"op": "replace", "path": "/organizationId", "value": org_id}
                self._write(
                    result,
                    f"link customer {customer_id}",
                    lambda: self.client.customers.patch(customer_id, [operation]),
                )
        result.linked_customers.append(customer_id)

    # -- our own records ----------------------------------------------------------------

    def _remember(self, kind, pk, mapping, fields, owned_props, result) -> None:
        org_id = result.organization_id
        owned = {"properties": owned_props}
        for key in LIST_KEYS:
            if getattr(fields, key) is not None:
                owned[key] = getattr(fields, key)
        with transaction.atomic():
            AccountOrganization.objects.update_or_create(
                account_type=kind,
                account_id=pk,
                defaults={"organization_id": org_id, "owned": owned, "pushed_at": timezone.now()},
            )
            # The mirror learns of the organization now; the next sync fills in the rest.
            Organization.objects.get_or_create(
                id=org_id, defaults={"name": fields.name, "is_placeholder": True}
            )
            if result.linked_customers:
                Customer.objects.filter(pk__in=result.linked_customers).update(
                    organization_id=org_id
                )
