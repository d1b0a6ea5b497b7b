"""Help Scout's GDPR customer delete, as the sandbox answers it.

`DELETE /v2/customers/{id}` deletes the customer, their conversations and survey
answers (ratings) at once: 204. More than 100 conversations: 403. With `?async=true`:
202 at once, no 100 limit, the deletion runs in the background and announces itself
with the `customer.deleted` webhook (body `{id}`). Source: Help Scout's developer pages
"Delete Customer" and "Delete Customer (async)" (reference/helpscout-api-2026.md §8).

Registered by `register(router)` (called from this package's `__init__`), so the
module stands alone beside the other customer routes. Never answers before the store
has the change (sync) and never keeps anything the store deleted.
"""

from __future__ import annotations

import threading
import weakref
from typing import TYPE_CHECKING

from ..server import ApiError, Request, Response, Router
from ..store import MAX_CONVERSATIONS_PER_DELETED_CUSTOMER, NotFound
from .base import lookup, run

if TYPE_CHECKING:
    from ..host import SandboxHost

PATH = r"/customers/(?P<customer_id>\d+)"
TOO_MANY = (
    "This customer has more than 100 conversations; delete them first or use the "
    "asynchronous delete (?async=true)."
)


# Asynchronous deletions in flight, per sandbox, so tests can wait for them without
# polling (`wait_for_async_deletes`).
_IN_FLIGHT: weakref.WeakKeyDictionary[SandboxHost, list[threading.Thread]] = (
    weakref.WeakKeyDictionary()
)


def wait_for_async_deletes(sb: SandboxHost, timeout: float = 5.0) -> bool:
    """Wait until every asynchronous customer delete of `sb` has run; False on timeout.
    (Its `customer.deleted` delivery is then queued: `sb.wait_for_deliveries()`.)"""
    for thread in list(_IN_FLIGHT.get(sb, ())):
        thread.join(timeout)
        if thread.is_alive():
            return False
    return True


def _delete_later(sb: SandboxHost, customer_id: int) -> None:
    try:
        sb.store.delete_customer(customer_id, enforce_limit=False)
    except NotFound:  # deleted meanwhile: Help Scout has nothing more to do
        return


def delete_customer(sb: SandboxHost, request: Request, customer_id: str) -> Response:
    asynchronous = (request.param("async") or "").lower() == "true"
    customer = lookup(sb.store.customer, customer_id)
    if asynchronous:
        thread = threading.Thread(
            target=_delete_later,
            args=(sb, customer.id),
            name="sandbox-customer-delete",
            daemon=True,
        )
        _IN_FLIGHT.setdefault(sb, []).append(thread)
        thread.start()
        return Response.empty(202)
    if len(sb.store.conversations_of(customer.id)) > MAX_CONVERSATIONS_PER_DELETED_CUSTOMER:
        raise ApiError(403, TOO_MANY)
    run(lambda: sb.store.delete_customer(customer.id))
    return Response.empty(204)


def register(router: Router) -> None:
    router.route("DELETE", PATH)(delete_customer)
