"""`erase_customer`: erase a person at Help Scout and in the mirror, resumably.

One `CustomerErasure` per Help Scout customer id records each step as it is done
(`steps`), so an erasure interrupted anywhere (killed, Help Scout down) finishes when
run again, and running a finished one again only reruns the idempotent local steps
(catching anything that arrived since). Help Scout is asked first; only once it has
accepted (or with `local_only`) does the erasure enter the ledger and the mirror lose
the person. Never logs, stores or returns the address: the record keeps a keyed hash.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from ..conf import get_settings
from ..emails import email_key
from ..exceptions import APIError, ConfigurationError, HelpScoutError
from ..models import CustomerErasure, ErasureStatus
from . import helpscout
from .hashing import address_hash
from .local import LOCAL_STEPS, Person, count_local, describe, find_local_customers, run_local_step

__all__ = [
    "ErasureInterrupted",
    "ErasurePlan",
    "complete_by_webhook",
    "erase_customer",
    "parse_target",
    "plan_erasure",
]


class ErasureInterrupted(HelpScoutError):
    """Help Scout could not be asked; the erasure is recorded and resumes when run again."""

    def __init__(self, message: str, record: CustomerErasure) -> None:
        super().__init__(message)
        self.record = record


@dataclass
class ErasurePlan:
    """What an erasure would do (`--dry-run`): no personal data, counts only."""

    customer_ids: list[int]
    counts: dict[int, dict[str, int]] = field(default_factory=dict)
    ask_helpscout: bool = True


def parse_target(email_or_id: Any) -> tuple[int | None, str]:
    """(customer id, "") or (None, address); ValueError for anything else."""
    if isinstance(email_or_id, int) and not isinstance(email_or_id, bool):
        return email_or_id, ""
    text = str(email_or_id or "").strip()
    if text.isdigit():
        return int(text), ""
    if "@" in text and email_key(text):
        return None, text
    raise ValueError("Give a Help Scout customer id (digits) or an email address.")


def _requester(requested_by: Any) -> str:
    if requested_by is None:
        return "unspecified"
    if isinstance(requested_by, str):
        return requested_by[:200]
    username = getattr(requested_by, "get_username", lambda: "")()
    return f"user {getattr(requested_by, 'pk', '?')} ({username})"[:200]


def _client(client, local_only: bool):
    if local_only or client is not None:
        return client
    if not get_settings().api_enabled:
        raise ConfigurationError(
            "Help Scout API credentials (HELPSCOUT APP_ID/APP_SECRET) are not set, so "
            "Help Scout cannot be asked to delete the customer. Configure them, or erase "
            "the mirror only with local_only=True (--local-only)."
        )
    from ..client import HelpScoutClient

    return HelpScoutClient.from_settings()


def _resolve(target_id: int | None, address: str, client, local_only: bool) -> list[int]:
    if target_id is not None:
        return [target_id]
    ids = {row.id for row in find_local_customers(address)}
    if not local_only:
        ids.update(helpscout.find_customer_ids(client, address))
    # An unfinished erasure of this address resumes even once its rows are gone.
    ids.update(
        pk
        for pk in CustomerErasure.objects.filter(
            address_hash=address_hash(address), customer_id__isnull=False
        )
        .exclude(status=ErasureStatus.DONE)
        .values_list("customer_id", flat=True)
        if pk is not None
    )
    return sorted(ids)


def plan_erasure(email_or_id: Any, *, local_only: bool = False, client=None) -> ErasurePlan:
    """What `erase_customer` would erase; asks Help Scout only to find the customer."""
    target_id, address = parse_target(email_or_id)
    own_client = client is None and target_id is None and not local_only
    if own_client:
        client = _client(client, local_only)
    try:
        ids = _resolve(target_id, address, client, local_only)
    finally:
        if own_client:
            client.close()
    plan = ErasurePlan(customer_ids=ids, ask_helpscout=not local_only)
    for customer_id in ids:
        plan.counts[customer_id] = count_local(
            describe([customer_id], [address] if address else [])
        )
    return plan


def _record_step(record: CustomerErasure, name: str, counts: dict[str, Any]) -> None:
    now = timezone.now().isoformat()
    previous = record.steps.get(name)
    if previous:  # a rerun: keep when it was first done, add what it found this time
        for key, value in counts.items():
            if isinstance(value, int) and isinstance(previous.get(key, 0), int):
                previous[key] = previous.get(key, 0) + value
        previous["last_at"] = now
    else:
        record.steps[name] = {"at": now, **counts}
    record.save(update_fields=["steps", "status", "helpscout_outcome", "completed_at"])


def _erase_locally(record: CustomerErasure, person: Person) -> None:
    for name, step in LOCAL_STEPS:
        _record_step(record, name, run_local_step(step, person, record.pk))


def _ask_helpscout(record: CustomerErasure, client, conversations: int) -> bool:
    """True once Help Scout accepted (now or before); False when it refused (blocked)."""
    if record.local_only or "helpscout" in record.steps or record.customer_id is None:
        return True
    try:
        answer = helpscout.delete_customer(client, record.customer_id, conversations)
    except HelpScoutError as exc:
        status = f" {exc.status_code}" if isinstance(exc, APIError) and exc.status_code else ""
        record.helpscout_outcome = (
            f"Help Scout could not be asked ({type(exc).__name__}{status}); nothing was "
            "erased. Run the erasure again."
        )
        record.save(update_fields=["helpscout_outcome"])
        raise ErasureInterrupted(record.helpscout_outcome, record) from exc
    record.helpscout_outcome = answer.message
    if not answer.accepted:
        record.status = ErasureStatus.BLOCKED
        record.save(update_fields=["status", "helpscout_outcome"])
        return False
    record.status = ErasureStatus.ERASING
    _record_step(record, "helpscout", {"outcome": answer.outcome})
    return True


def _erase_one(
    customer_id: int, address: str, requester: str, local_only: bool, client
) -> CustomerErasure:
    record, created = CustomerErasure.objects.get_or_create(
        customer_id=customer_id,
        defaults={"requested_by": requester, "local_only": local_only},
    )
    if address and not record.address_hash:
        record.address_hash = address_hash(address)
        record.save(update_fields=["address_hash"])
    if local_only and not record.local_only and "helpscout" not in record.steps:
        record.local_only = True
        record.save(update_fields=["local_only"])
    person = describe([customer_id], [address] if address else [])
    known = set(record.steps.get("plan", {}).get("conversations", []))
    person.conversation_ids |= known
    if person.conversation_ids != known or "plan" not in record.steps:
        # Remembered before anything is erased: the tombstones no longer name the
        # customer, and a resumed erasure still needs their ids.
        record.steps["plan"] = {
            "at": timezone.now().isoformat(),
            "conversations": sorted(person.conversation_ids),
        }
        record.save(update_fields=["steps"])
    if not _ask_helpscout(record, client, len(person.conversation_ids)):
        return record
    if record.local_only and "helpscout" not in record.steps:
        record.helpscout_outcome = "Help Scout was not asked (local only)."
    if record.status in (ErasureStatus.PENDING, ErasureStatus.BLOCKED):
        record.status = ErasureStatus.ERASING
    record.save(update_fields=["status", "helpscout_outcome"])
    _erase_locally(record, person)
    waiting = record.steps.get("helpscout", {}).get("outcome") == helpscout.ACCEPTED
    if waiting and "helpscout_completed" not in record.steps:
        record.status = ErasureStatus.AWAITING_HELPSCOUT
    else:
        record.status = ErasureStatus.DONE
        record.completed_at = record.completed_at or timezone.now()
    record.save(update_fields=["status", "completed_at"])
    return record


def erase_customer(
    email_or_id: Any, *, requested_by: Any = None, local_only: bool = False, client=None
) -> list[CustomerErasure]:
    """Erase the customer (by Help Scout id or email address) everywhere; see module.

    Returns one record per Help Scout customer erased (a record without a customer id
    when the address matched none: its webhook deliveries are still erased). A record
    is `blocked` when Help Scout refused (its outcome says what to do) and
    `awaiting_helpscout` until an asynchronous delete's `customer.deleted` arrives.
    Raises ValueError for a target that is neither, `ConfigurationError` without API
    credentials (unless `local_only`), `ErasureInterrupted` when Help Scout could not
    be asked (run it again).
    """
    target_id, address = parse_target(email_or_id)
    requester = _requester(requested_by)
    own_client = client is None
    client = _client(client, local_only)
    try:
        ids = _resolve(target_id, address, client, local_only)
        if not ids:
            return [_erase_unknown_address(address, requester, local_only)]
        return [_erase_one(i, address, requester, local_only, client) for i in ids]
    finally:
        if own_client and client is not None:
            client.close()


def _erase_unknown_address(address: str, requester: str, local_only: bool) -> CustomerErasure:
    record = CustomerErasure.objects.create(
        address_hash=address_hash(address),
        requested_by=requester,
        local_only=local_only,
        status=ErasureStatus.ERASING,
        helpscout_outcome="No customer has this address, in Help Scout or the mirror.",
    )
    _erase_locally(record, describe([], [address]))
    record.status = ErasureStatus.DONE
    record.completed_at = timezone.now()
    record.save(update_fields=["status", "completed_at"])
    return record


def complete_by_webhook(customer_id: int) -> bool:
    """Finish an asynchronous erasure once Help Scout confirmed the customer gone
    (`customer.deleted`); reruns the local steps for anything that arrived meanwhile."""
    record = CustomerErasure.objects.filter(customer_id=customer_id).first()
    if record is None or record.status != ErasureStatus.AWAITING_HELPSCOUT:
        return False
    record.helpscout_outcome = (
        record.helpscout_outcome + " Completed: customer.deleted received."
    )[:500]
    record.steps["helpscout_completed"] = {"at": timezone.now().isoformat()}
    person = describe([customer_id], [])
    person.conversation_ids |= set(record.steps.get("plan", {}).get("conversations", []))
    _erase_locally(record, person)
    record.status = ErasureStatus.DONE
    record.completed_at = timezone.now()
    record.save(update_fields=["status", "completed_at", "helpscout_outcome", "steps"])
    return True
