"""Push one product user's customer properties to Help Scout.

Finds (or creates) the Help Scout customer by the user's email, checks every value
against the account's property definitions, sends the valid ones in one PATCH and
reports the rest in a `PushResult`. Never raises for bad data or a Help Scout error:
the result says what happened, per user, so bulk pushes keep going.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from ..conf import get_settings
from ..emails import refusal
from ..exceptions import HelpScoutError
from .context import product_properties, user_email
from .values import PropertyDefinition, infer_definition, validate_properties

logger = logging.getLogger(__name__)

__all__ = ["PushResult", "fetch_definitions", "push_properties_now"]

NAME_MAX_LENGTH = 40  # Help Scout: first and last names are 1-40 characters


@dataclass
class PushResult:
    """The outcome of pushing one user's properties."""

    user_pk: Any
    email: str = ""
    customer_id: int | None = None
    customer_created: bool = False
    pushed: dict[str, Any] = field(default_factory=dict)  # slug -> value sent
    invalid: dict[str, str] = field(default_factory=dict)  # slug -> why it was not sent
    unknown: list[str] = field(default_factory=list)  # slugs Help Scout has no definition for
    created_definitions: list[str] = field(default_factory=list)
    error: str = ""  # the push as a whole failed (no email, Help Scout error, callable error)

    @property
    def ok(self) -> bool:
        """True when the push went through and every value was accepted."""
        return not self.error and not self.invalid and not self.unknown

    def summary(self) -> str:
        if self.error:
            return f"user {self.user_pk}: failed: {self.error}"
        parts = [f"user {self.user_pk}: {len(self.pushed)} pushed"]
        parts += [f"{slug} {why}" for slug, why in sorted(self.invalid.items())]
        if self.unknown:
            parts.append("no definition for " + ", ".join(sorted(self.unknown)))
        return "; ".join(parts)


def fetch_definitions(client) -> dict[str, PropertyDefinition]:
    """The account's property definitions by slug (one or two API reads)."""
    return {
        d.slug: d
        for d in (
            PropertyDefinition.from_api(item) for item in client.customers.property_definitions()
        )
    }


class ErasedCustomer(HelpScoutError):
    """The push would write to (or re-create) a customer this product erased."""


def _customer_id(client, user, email: str) -> tuple[int, bool]:
    from ..erasure.hashing import address_hash
    from ..erasure.ledger import erased_customer_ids
    from ..models import CustomerErasure

    found = client.customers.find_by_email(email)
    if found is not None:
        if erased_customer_ids([int(found["id"])]):  # Help Scout still deleting it (async)
            raise ErasedCustomer("the customer is being erased; nothing was pushed")
        return int(found["id"]), False
    # The address was erased and its owner has not written to support since: a push
    # must not re-create them at Help Scout (their own new message will).
    if CustomerErasure.objects.filter(address_hash=address_hash(email)).exists():
        raise ErasedCustomer("the customer was erased; nothing was pushed or created")
    body: dict[str, Any] = {"emails": [{"type": "work", "value": email}]}
    for key, attribute in (("firstName", "first_name"), ("lastName", "last_name")):
        value = (getattr(user, attribute, "") or "").strip()[:NAME_MAX_LENGTH]
        if value:
            body[key] = value
    return client.customers.create(body), True


def _create_definitions(client, result: PushResult, values: dict, definitions: dict) -> None:
    """Create definitions for unknown slugs (`CREATE_MISSING_PROPERTIES`), in place."""
    for slug in list(result.unknown):
        definition = infer_definition(slug, values[slug])
        if definition is None:
            continue
        body = {"type": definition.type, "slug": definition.slug, "name": definition.name}
        try:
            client.request("POST", "/customer-properties", json=body)
        except HelpScoutError as exc:
            logger.warning("Could not create customer property %r: %s", slug, exc)
            continue
        definitions[slug] = definition
        result.created_definitions.append(slug)


def _mirror_properties(customer_id: int, accepted: dict[str, Any]) -> None:
    """Keep the mirrored Customer's properties in step, when it is mirrored."""
    from ..models import Customer

    customer = Customer.objects.filter(pk=customer_id).only("pk", "properties").first()
    if customer is None:
        return
    properties = dict(customer.properties or {})
    for slug, value in accepted.items():
        if value is None:
            properties.pop(slug, None)
        else:
            properties[slug] = value
    Customer.objects.filter(pk=customer_id).update(properties=properties)


def push_properties_now(
    user, *, client=None, definitions: dict[str, PropertyDefinition] | None = None
) -> PushResult:
    """Push `user`'s properties synchronously and return what happened.

    `client` and `definitions` may be shared across a bulk push; otherwise a client is
    built from settings and definitions are fetched.
    """
    result = PushResult(user_pk=getattr(user, "pk", None), email=user_email(user))
    if not result.email:
        result.error = "the user has no email address"
        return result
    # The identity rule (`emails.refusal`): an address Help Scout might fold onto another
    # customer's is never looked up or created there, so no push lands on someone else.
    # Organization pushes make the same check on every address they link
    # (`organizations.push`); any new surface must too, before any request.
    refused = refusal(result.email)
    if refused is not None:
        result.error = f"the user's email address {refused.reason}"
        return result
    try:
        values = product_properties(user)
    except Exception as exc:  # the host's callable: report, do not crash a bulk push
        logger.exception("CUSTOMER_PROPERTIES failed for user %s", result.user_pk)
        result.error = f"CUSTOMER_PROPERTIES raised {type(exc).__name__}"
        return result

    own_client = client is None
    if own_client:
        from ..client import HelpScoutClient

        client = HelpScoutClient.from_settings()
    try:
        if definitions is None:
            definitions = fetch_definitions(client)
        outcome = validate_properties(definitions, values)
        result.unknown = outcome.unknown
        if outcome.unknown and get_settings().CREATE_MISSING_PROPERTIES:
            _create_definitions(client, result, values, definitions)
            outcome = validate_properties(definitions, values)
            result.unknown = outcome.unknown
        result.invalid = outcome.invalid
        result.customer_id, result.customer_created = _customer_id(client, user, result.email)
        if outcome.operations:
            client.customers.set_properties(result.customer_id, outcome.operations)
            result.pushed = outcome.accepted
            _mirror_properties(result.customer_id, result.pushed)
    except HelpScoutError as exc:
        result.error = str(exc) or type(exc).__name__
    finally:
        if own_client:
            client.close()
    if not result.ok:
        logger.warning("Customer properties: %s", result.summary())
    return result
