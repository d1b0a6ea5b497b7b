"""A customer's entries (emails, phones, chats, social profiles, websites) and address:
the changes the Mailbox API's customer sub-resources make, kept apart from `Store`.

Each change holds the store's lock, keeps the email index (`customers_by_email`) true,
and ends in `Store.update_customer`, so the customer's `updatedAt` moves and
`customer.updated` is announced as for any other customer change. No HTTP here.
"""

from __future__ import annotations

from typing import Any

from .records import Customer
from .store import Invalid, NotFound, Store

#: URL segment -> the Customer attribute holding that kind of entry.
ENTRY_KINDS = {
    "emails": "emails",
    "phones": "phones",
    "chats": "chats",
    "social-profiles": "social_profiles",
    "websites": "websites",
}

#: The `type` values Help Scout lists for each kind (websites have none).
ENTRY_TYPES = {
    "emails": ("home", "work", "other"),
    "phones": ("fax", "home", "mobile", "other", "pager", "work"),
    "chats": ("aim", "gtalk", "icq", "xmpp", "msn", "skype", "yahoo", "qq", "wechat", "other"),
    "social-profiles": (
        "aboutme", "facebook", "flickr", "forsquare", "foursquare", "google", "googleplus",
        "linkedin", "other", "quora", "tungleme", "twitter", "youtube",
    ),
}  # fmt: skip

ADDRESS_FIELDS = ("city", "lines", "state", "postalCode", "country")


def entries(customer: Customer, kind: str) -> list[tuple[int, str, str]]:
    return getattr(customer, ENTRY_KINDS[kind])


def find_entry(customer: Customer, kind: str, entry_id: int) -> tuple[int, str, str]:
    for entry in entries(customer, kind):
        if entry[0] == entry_id:
            return entry
    raise NotFound(f"{kind} entry not found")


def add_entry(store: Store, customer_id: int, kind: str, value: str, type: str) -> int:
    with store.lock:
        customer = store.customer(customer_id)
        if kind == "emails":
            _claim_email(store, customer, value)
        entry_id = store.next_id("email")  # one id sequence for every kind of entry
        setattr(customer, ENTRY_KINDS[kind], [*entries(customer, kind), (entry_id, value, type)])
        store.update_customer(customer.id)
        return entry_id


def update_entry(
    store: Store, customer_id: int, kind: str, entry_id: int, value: str, type: str
) -> None:
    with store.lock:
        customer = store.customer(customer_id)
        old = find_entry(customer, kind, entry_id)
        if kind == "emails" and old[1].lower() != value.lower():
            _claim_email(store, customer, value)
            store.customers_by_email.pop(old[1].lower(), None)
        updated = [
            (i, value, type) if i == entry_id else (i, v, t) for i, v, t in entries(customer, kind)
        ]
        setattr(customer, ENTRY_KINDS[kind], updated)
        store.update_customer(customer.id)


def delete_entry(store: Store, customer_id: int, kind: str, entry_id: int) -> None:
    with store.lock:
        customer = store.customer(customer_id)
        old = find_entry(customer, kind, entry_id)
        if kind == "emails":
            store.customers_by_email.pop(old[1].lower(), None)
        kept = [entry for entry in entries(customer, kind) if entry[0] != entry_id]
        setattr(customer, ENTRY_KINDS[kind], kept)
        store.update_customer(customer.id)


def set_address(store: Store, customer_id: int, address: dict[str, Any] | None) -> None:
    """Create or replace (a dict) or delete (None) the customer's one address."""
    with store.lock:
        store.update_customer(store.customer(customer_id).id, address=address)


def _claim_email(store: Store, customer: Customer, value: str) -> None:
    owner = store.customer_by_email(value)
    if owner is not None:
        raise Invalid([("value", "Email already belongs to a customer", value)])
    store.customers_by_email[value.lower()] = customer
