"""The Help Scout half of an erasure: find the customer, ask Help Scout to delete them.

Help Scout's `DELETE /v2/customers/{id}` hard-deletes the customer, their conversations
and survey answers (204), and answers 403 when the customer has more than 100
conversations or the API user cannot see them all. With `?async=true` it answers 202
and sends `customer.deleted` when done (no 100 limit). So: synchronous when the
customer has 100 conversations or fewer by the mirror's count, asynchronous otherwise,
and asynchronous again after a synchronous 403 (the mirror may not know every
conversation); a 403 then means missing access, reported with what to do.

Errors Help Scout may recover from (network, 5xx, 429) are raised: the erasure stays
resumable and is run again. Never logs or records the address.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..exceptions import NotFoundError, PermissionDeniedError

SYNC_DELETE_LIMIT = 100  # Help Scout refuses a synchronous delete above this

DELETED = "deleted"
ACCEPTED = "accepted"
ALREADY_GONE = "already_gone"
FORBIDDEN = "forbidden"

FORBIDDEN_ADVICE = (
    "Help Scout refused the delete (403): the API user cannot see all of the customer's "
    "conversations. Give the app's Help Scout user access to every mailbox (or delete "
    "the customer in Help Scout by hand: Customers > profile > Delete), then run the "
    "erasure again; nothing was erased."
)


@dataclass(frozen=True)
class HelpScoutAnswer:
    outcome: str  # DELETED, ACCEPTED, ALREADY_GONE or FORBIDDEN
    message: str  # for the erasure record: no personal data

    @property
    def accepted(self) -> bool:
        return self.outcome != FORBIDDEN


def find_customer_ids(client, address: str) -> list[int]:
    """Help Scout's customer with this address (at most one: addresses are unique)."""
    found = client.customers.find_by_email(address)
    customer_id = found.get("id") if isinstance(found, dict) else None
    return (
        [int(customer_id)]
        if isinstance(customer_id, int | str) and str(customer_id).isdigit()
        else []
    )


def _answer(status: int, asynchronous: bool) -> HelpScoutAnswer:
    if status == 202 or asynchronous:
        return HelpScoutAnswer(
            ACCEPTED,
            f"Help Scout accepted the asynchronous delete ({status}); the customer.deleted "
            "webhook finishes the erasure.",
        )
    return HelpScoutAnswer(DELETED, f"Deleted at Help Scout ({status}).")


def delete_customer(client, customer_id: int, mirrored_conversations: int) -> HelpScoutAnswer:
    """Ask Help Scout to delete the customer; see the module docstring for the choice."""
    asynchronous = mirrored_conversations > SYNC_DELETE_LIMIT
    try:
        return _answer(
            client.customers.delete(customer_id, asynchronous=asynchronous), asynchronous
        )
    except NotFoundError:
        return HelpScoutAnswer(
            ALREADY_GONE, "Help Scout has no such customer (404): already deleted."
        )
    except PermissionDeniedError:
        if asynchronous:
            return HelpScoutAnswer(FORBIDDEN, FORBIDDEN_ADVICE)
    # A synchronous 403: more than 100 conversations, or missing access. Async tells.
    try:
        return _answer(client.customers.delete(customer_id, asynchronous=True), True)
    except NotFoundError:
        return HelpScoutAnswer(
            ALREADY_GONE, "Help Scout has no such customer (404): already deleted."
        )
    except PermissionDeniedError:
        return HelpScoutAnswer(FORBIDDEN, FORBIDDEN_ADVICE)
