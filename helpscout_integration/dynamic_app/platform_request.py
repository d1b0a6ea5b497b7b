"""What an App platform request tells us, read from its signed query parameters.

Help Scout's App platform sends only non-identifying context (its guide, "Accessing
Help Scout Data without JavaScript"): `conversation-id`, `conversation-number`,
`customer-id`, `mailbox-id`, `user-id` (and `installation-ids`, `application-id`,
`application-slug`), never the customer's email. The emails come from the mirror: the
customer with that id, else the conversation's customer, kept only where the identity
rule accepts them (`emails`). Database reads only, so the panel answers fast; a customer
not mirrored yet reads as "no account".
"""

from __future__ import annotations

from ..emails import identity_keys
from ..models import Conversation, Customer
from .request import MAX_EMAILS, SidebarRequest

MAX_ID = 2**63 - 1  # mirror ids are BigIntegerField: a larger value would be a DB error


def _id(params: dict[str, str], name: str) -> int | None:
    value = params.get(name, "")
    if not value.isascii() or not value.isdigit() or len(value) > 19:
        return None
    number = int(value)
    return number if 0 < number <= MAX_ID else None


def _emails(customer: Customer | None) -> tuple[str, ...]:
    """The customer's addresses that may identify a product user (`emails.identity_keys`):
    a look-alike spelling (`\u212aate@`) identifies nobody, never our user kate."""
    if customer is None or customer.is_deleted:
        return ()
    return tuple(identity_keys([customer.email, *(customer.emails or [])])[:MAX_EMAILS])


def sidebar_from_platform(params: list[tuple[str, str]], source: str) -> SidebarRequest:
    """The SidebarRequest the shared context code takes, built from signed parameters."""
    values = dict(params)
    conversation_id = _id(values, "conversation-id")
    customer_id = _id(values, "customer-id")
    conversation = None
    if conversation_id is not None:
        conversation = (
            Conversation.objects.select_related("customer").filter(pk=conversation_id).first()
        )
    customer = Customer.objects.filter(pk=customer_id).first() if customer_id else None
    if customer is None and conversation is not None and customer_id is None:
        customer = conversation.customer
    ticket: dict = {}
    if conversation_id is not None:
        ticket = {"id": conversation_id, "number": _id(values, "conversation-number")}
        if conversation is not None:
            ticket.update(
                number=conversation.number or ticket["number"], subject=conversation.subject
            )
    mailbox_id = _id(values, "mailbox-id")
    agent_id = _id(values, "user-id")
    return SidebarRequest(
        emails=_emails(customer),
        customer_name=customer.full_name if customer is not None else "",
        customer_id=customer_id if customer_id is not None else getattr(customer, "pk", None),
        ticket=ticket,
        mailbox={"id": mailbox_id} if mailbox_id else {},
        agent={"id": agent_id} if agent_id else {},
        source=source,
    )
