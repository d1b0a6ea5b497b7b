"""What a dynamic-app request tells us: the customer's emails and names, the ticket.

Help Scout posts `{"ticket": {...}, "customer": {"id", "fname", "lname", "email",
"emails": [...]}, "user": {...}, "mailbox": {...}}` (fields it has no value for are left
out; `ticket` is false for drafts). Tolerant reading of that shape only; no ORM, no HTTP.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..emails import identity_key

MAX_EMAILS = 20  # a customer with more addresses is unusual; bound the lookup


@dataclass(frozen=True)
class SidebarRequest:
    emails: tuple[str, ...] = ()
    customer_name: str = ""
    customer_id: int | None = None
    ticket: dict[str, Any] = field(default_factory=dict)
    mailbox: dict[str, Any] = field(default_factory=dict)
    agent: dict[str, Any] = field(default_factory=dict)
    # Which endpoint asked: "legacy" (dynamic-app/), "app-content" or "app-panel".
    source: str = "legacy"


def _email(value: Any) -> str:
    if isinstance(value, dict):  # {"value": "a@b.c", ...} in v2-style lists
        value = value.get("value") or value.get("email")
    # The identity rule: an address Help Scout might fold onto another identifies nobody.
    return identity_key(value) if isinstance(value, str) and "@" in value else ""


def parse_sidebar_request(data: Any) -> SidebarRequest:
    """Read the request body (already JSON-decoded); raises ValueError if not an object."""
    if not isinstance(data, dict):
        raise ValueError("the dynamic app request must be a JSON object")
    raw_customer = data.get("customer")
    customer: dict[str, Any] = raw_customer if isinstance(raw_customer, dict) else {}
    found: list[str] = []
    for value in [customer.get("email"), *(customer.get("emails") or [])]:
        email = _email(value)
        if email and email not in found:
            found.append(email)
    name = " ".join(
        str(customer.get(key) or "").strip() for key in ("fname", "lname") if customer.get(key)
    )
    customer_id = customer.get("id")

    def _object(key: str) -> dict:
        value = data.get(key)
        return value if isinstance(value, dict) else {}

    return SidebarRequest(
        emails=tuple(found[:MAX_EMAILS]),
        customer_name=name,
        customer_id=customer_id if isinstance(customer_id, int) else None,
        ticket=_object("ticket"),
        mailbox=_object("mailbox"),
        agent=_object("user"),
    )
