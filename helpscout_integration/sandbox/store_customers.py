"""Customers in a `Store`: creating, finding by email, changing, deleting (Help Scout's GDPR
delete, which takes their conversations and ratings with it), and customer properties.

The email index (`customers_by_email`) is kept true by every change here; a customer's
entries (emails, phones, ...) are `customer_entries.py`'s. This layer must never leave an
email pointing at a deleted customer, nor delete a customer's conversations other than
through `delete_conversation` (so each is announced).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .records import Customer, PropertyDefinition
from .store_base import MAX_CONVERSATIONS_PER_DELETED_CUSTOMER, PROPERTY_TYPES, Invalid
from .store_merges import MergeStore


class CustomerStore(MergeStore):
    """Customers and customer properties on top of `MergeStore`."""

    def customer_by_email(self, email: str) -> Customer | None:
        return self.customers_by_email.get(email.strip().lower())

    def add_customer(
        self,
        first_name: str = "",
        last_name: str = "",
        emails: Iterable[str | tuple[str, str]] = (),
        *,
        announce: bool = True,
        created_at: float | None = None,
        **attributes: Any,
    ) -> Customer:
        with self.lock:
            pairs = [(e, "work") if isinstance(e, str) else tuple(e) for e in emails]
            for value, _type in pairs:
                if self.customer_by_email(value) is not None:
                    raise Invalid([("emails", "Email already belongs to a customer", value)])
            now = self.touch()
            customer = Customer(
                id=self.next_id("customer"),
                first_name=first_name,
                last_name=last_name,
                emails=[(self.next_id("email"), v, t) for v, t in pairs],
                created_at=created_at if created_at is not None else now,
                updated_at=created_at if created_at is not None else now,
                **attributes,
            )
            self.customers[customer.id] = customer
            for _id, value, _type in customer.emails:
                self.customers_by_email[value.lower()] = customer
            if announce:
                self._emit("customer.created", "customer", customer)
            return customer

    def customer_for(self, email: str | None = None, customer_id: int | None = None, **names):
        """The customer with this id, or with this email (created when new)."""
        with self.lock:
            if customer_id is not None:
                return self.customer(customer_id)
            if not email:
                raise Invalid([("customer", "needs an id or an email", None)])
            existing = self.customer_by_email(email)
            if existing is not None:
                return existing
            return self.add_customer(
                names.get("first_name") or "", names.get("last_name") or "", [email]
            )

    def update_customer(self, customer_id: int, **changes: Any) -> Customer:
        with self.lock:
            customer = self.customer(customer_id)
            for name, value in changes.items():
                setattr(customer, name, value)
            customer.updated_at = self.touch()
            self._emit("customer.updated", "customer", customer)
            return customer

    def conversations_of(self, customer_id: int) -> list[int]:
        with self.lock:
            return [c.id for c in self.conversations.values() if c.customer_id == customer_id]

    def delete_customer(self, customer_id: int, *, enforce_limit: bool = True) -> None:
        """Delete a customer, their conversations and their ratings (Help Scout's GDPR
        delete; the synchronous one refuses customers with more than 100 conversations,
        the asynchronous one passes `enforce_limit=False`)."""
        with self.lock:
            customer = self.customer(customer_id)
            owned = self.conversations_of(customer.id)
            if enforce_limit and len(owned) > MAX_CONVERSATIONS_PER_DELETED_CUSTOMER:
                raise Invalid([("id", "Customer has more than 100 conversations", customer.id)])
            for conversation_id in owned:
                self.delete_conversation(conversation_id)
            for rating in [r for r in self.ratings.values() if r.customer_id == customer.id]:
                del self.ratings[rating.id]
            del self.customers[customer.id]
            for _id, value, _type in customer.emails:
                self.customers_by_email.pop(value.lower(), None)
            self.touch()
            self._emit("customer.deleted", "deleted", {"id": customer.id})

    def add_property_definition(
        self, slug: str, name: str, type: str = "text", options: Iterable[str] = ()
    ) -> PropertyDefinition:
        with self.lock:
            if type not in PROPERTY_TYPES:
                raise Invalid([("type", f"must be one of {', '.join(PROPERTY_TYPES)}", type)])
            definition = PropertyDefinition(
                slug, name, type, [(self.next_id("property_option"), o) for o in options]
            )
            self.property_definitions[slug] = definition
            self.version += 1
            return definition

    def set_customer_properties(self, customer_id: int, values: dict[str, Any | None]) -> None:
        """Set (value) or remove (None) customer property values, already validated."""
        with self.lock:
            customer = self.customer(customer_id)
            for slug, value in values.items():
                if value is None:
                    customer.properties.pop(slug, None)
                else:
                    customer.properties[slug] = value
            customer.updated_at = self.touch()
            self._emit("customer.updated", "customer", customer)
