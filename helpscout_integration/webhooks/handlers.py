"""What each Help Scout webhook event does to the mirror: one handler per event name.

Handlers take the delivery's parsed body (the resource object itself: Help Scout's body
is not an envelope) and write through the mirror writer (`sync.upsert`), the same code
sync uses, so the writer's newest-wins rule makes them idempotent and order-safe. They
never call Help Scout: what a payload lacks is returned as follow-ups (`Outcome.fetch`)
that `processing` enqueues after commit. They raise `PayloadError` for a body that is
not the object the event names.

The event name comes from an unsigned header, so it is only a hint: each handler first
checks that the body is the kind of object its event family carries
(`payloads.kinds`), and a deletion or a merge retires a conversation only once Help
Scout has confirmed it (`confirm.py`, asked by `processing` before the event's
transaction): a merge body names candidates, Help Scout's answers decide.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..erasure import complete_by_webhook
from ..erasure.ledger import erased_customer_ids
from ..exceptions import PayloadError
from ..models import Conversation, WebhookEventStatus
from ..payloads import parse_conversation, parse_rating
from ..payloads.kinds import is_notification, require_deletion, require_kind
from ..sync.fate import Fate
from ..sync.fetch import record_fate
from ..sync.tombstones import (
    delete_tag,
    holders_of_threads,
    mark_conversation_deleted,
    mark_customer_deleted,
)
from ..sync.upsert import (
    UpsertResult,
    upsert_customers,
    upsert_rating,
    upsert_tags,
    write_parsed_conversations,
)

__all__ = [
    "CONVERSATION_EVENTS",
    "DELETIONS",
    "HANDLERS",
    "NOT_MIRRORED_EVENTS",
    "DeletionNotConfirmed",
    "MergeNotConfirmed",
    "Outcome",
    "deletion_to_confirm",
    "handle",
]


@dataclass
class Outcome:
    """The result of one handler: the event's status and conversations to fetch after."""

    status: str = WebhookEventStatus.PROCESSED
    fetch_conversations: list[int] = field(default_factory=list)
    result: UpsertResult | None = None
    # The body is about an erased customer: `processing` erases it from the event log
    # (the row's other facts stay), so neither it nor a replay brings the person back.
    erase_body: bool = False


Handler = Callable[[dict[str, Any], "int | None"], Outcome]

CONVERSATION_EVENTS = (
    "convo.created",
    "convo.assigned",
    "convo.moved",
    "convo.status",
    "convo.tags",
    "convo.custom-fields",
    "convo.customer.reply.created",
    "convo.agent.reply.created",
    "convo.note.created",
    "convo.merged",
)

# Documented events the mirror has no model for: kept on the event (body and all) and
# announced through `webhook_received`, so host code can act on them.
NOT_MIRRORED_EVENTS = (
    # Help Scout lists it on its Webhooks page without documenting the body.
    "convo.ai-answers.created",
    "beacon.chat.created",
    "beacon.chat.customer.replied",
    "message.survey.response.received",
)


# Deletion events and the kind of object each deletes; see `deletion_to_confirm`.
DELETIONS = {
    "convo.deleted": "conversation",
    "customer.deleted": "customer",
    "tag.deleted": "tag",
}


class DeletionNotConfirmed(RuntimeError):
    """A deletion reached its handler without Help Scout's confirmation (a bug: retried)."""


class MergeNotConfirmed(RuntimeError):
    """A merge source turned up that Help Scout was not asked about (retried: the next
    attempt asks)."""


def _deleted_id(resource_id: int | None, what: str) -> int:
    if resource_id is None:
        raise PayloadError(f"A {what} deletion must carry the {what}'s numeric 'id'.")
    return resource_id


def _notified_id(resource_id: int | None, what: str) -> int:
    if resource_id is None:
        raise PayloadError(f"A {what} notification must carry the {what}'s numeric 'id'.")
    return resource_id


def deletion_to_confirm(
    event_type: str, data: dict[str, Any], resource_id: int | None
) -> tuple[str, int] | None:
    """(kind, id) Help Scout must confirm gone before `event_type` may run; None if it
    is no deletion. `PayloadError` when the body is no deletion of that kind."""
    kind = DELETIONS.get(event_type)
    if kind is None:
        return None
    require_deletion(data, kind, event_type)
    return kind, _deleted_id(resource_id, kind)


def conversation_changed(data: dict[str, Any], resource_id: int | None) -> Outcome:
    """Every `convo.*` event except deletion carries the full v2 Conversation object."""
    if is_notification(data):
        return Outcome(fetch_conversations=[_notified_id(resource_id, "conversation")])
    require_kind(data, "conversation", "A convo.* event")
    parsed = parse_conversation(data)
    people = {t.customer.id for t in parsed.threads or () if t.customer}
    erased = erased_customer_ids(people | ({parsed.customer.id} if parsed.customer else set()))
    if parsed.customer and parsed.customer.id in erased:
        return Outcome(status=WebhookEventStatus.IGNORED, erase_body=True)
    result = UpsertResult()
    write_parsed_conversations([parsed], source="webhook", result=result)
    fetch = []
    if parsed.threads is None:  # no `_embedded.threads`: the mirror's threads need a get
        fetch.append(parsed.id)
    if parsed.merged_into_id and parsed.merged_into_id != parsed.id:
        fetch.append(parsed.merged_into_id)  # the survivor now holds the merged threads
    return Outcome(fetch_conversations=fetch, result=result, erase_body=bool(erased))


def conversation_merged(
    data: dict[str, Any], resource_id: int | None, fates: dict[int, Fate] | None = None
) -> Outcome:
    """`convo.merged` carries the surviving conversation, holding the merged threads
    (when Help Scout includes them).

    The conversations that held those threads until now are *candidate* sources: the
    body is signed but its event name is not, and merges delivered out of order make
    the survivor of one look like the source of another. Each candidate was asked about
    (`fates`, from `confirm.confirm_fates` before the transaction): it is marked merged
    (into the survivor Help Scout names) or deleted only on Help Scout's word; one Help
    Scout says is live is left alone. The survivor is always fetched afterwards: a body
    without the merged threads still gets its sources retired there (`sync.fetch`).
    """
    if is_notification(data):
        return conversation_changed(data, resource_id)
    require_kind(data, "conversation", "convo.merged")
    parsed = parse_conversation(data)
    fates = fates or {}
    sources = holders_of_threads(parsed.id, [t.id for t in parsed.threads or ()])
    unasked = [source for source in sources if source not in fates]
    if unasked:
        raise MergeNotConfirmed(
            f"convo.merged into {parsed.id}: Help Scout was not asked about "
            f"conversation(s) {unasked}; retried."
        )
    outcome = conversation_changed(data, resource_id)
    for source in sources:
        record_fate(source, fates[source], source="webhook")
    if parsed.id not in outcome.fetch_conversations:
        outcome.fetch_conversations.append(parsed.id)
    return outcome


def conversation_deleted(data: dict[str, Any], resource_id: int | None) -> Outcome:
    """Runs only once Help Scout confirmed the conversation gone (see `handle`)."""
    mark_conversation_deleted(_deleted_id(resource_id, "conversation"), source="webhook")
    return Outcome()


def customer_changed(data: dict[str, Any], resource_id: int | None) -> Outcome:
    if is_notification(data):  # nothing to write; the next sync brings the change
        _notified_id(resource_id, "customer")
        return Outcome(status=WebhookEventStatus.IGNORED)
    require_kind(data, "customer", "A customer.* event")
    if resource_id is not None and erased_customer_ids([resource_id]):
        return Outcome(status=WebhookEventStatus.IGNORED, erase_body=True)
    return Outcome(result=upsert_customers([data]))


def customer_deleted(data: dict[str, Any], resource_id: int | None) -> Outcome:
    customer_id = _deleted_id(resource_id, "customer")
    mark_customer_deleted(customer_id)
    complete_by_webhook(customer_id)  # the end of an asynchronous erasure, if one waits
    return Outcome()


def tag_changed(data: dict[str, Any], resource_id: int | None) -> Outcome:
    if is_notification(data):  # nothing to write; the next sync brings the change
        _notified_id(resource_id, "tag")
        return Outcome(status=WebhookEventStatus.IGNORED)
    require_kind(data, "tag", "A tag.* event")
    return Outcome(result=upsert_tags([data]))


def tag_deleted(data: dict[str, Any], resource_id: int | None) -> Outcome:
    delete_tag(_deleted_id(resource_id, "tag"))
    return Outcome()


def rating_received(data: dict[str, Any], resource_id: int | None) -> Outcome:
    """`satisfaction.ratings`: the rating, with a fetch of its conversation if unknown."""
    require_kind(data, "rating", "satisfaction.ratings")
    rating = parse_rating(data)
    if rating.customer and erased_customer_ids([rating.customer.id]):
        return Outcome(status=WebhookEventStatus.IGNORED, erase_body=True)
    conversation_id = rating.conversation_id
    known = (
        conversation_id is not None
        and Conversation.objects.filter(pk=conversation_id, is_placeholder=False).exists()
    )
    result = upsert_rating(data, source="webhook")
    fetch = [conversation_id] if conversation_id is not None and not known else []
    return Outcome(fetch_conversations=fetch, result=result)


def user_status_changed(data: dict[str, Any], resource_id: int | None) -> Outcome:
    """`user.status.changed` (2026-02-06): an agent's availability; older ones skipped."""
    from ..sync.user_statuses import user_status_from_webhook

    if user_status_from_webhook(data):
        return Outcome()
    return Outcome(status=WebhookEventStatus.IGNORED)


def not_mirrored(data: dict[str, Any], resource_id: int | None) -> Outcome:
    return Outcome()


HANDLERS: dict[str, Handler] = {
    **{name: conversation_changed for name in CONVERSATION_EVENTS},
    "convo.merged": conversation_merged,
    "convo.deleted": conversation_deleted,
    "customer.created": customer_changed,
    "customer.updated": customer_changed,
    "customer.deleted": customer_deleted,
    "tag.created": tag_changed,
    "tag.updated": tag_changed,
    "tag.deleted": tag_deleted,
    "satisfaction.ratings": rating_received,
    "user.status.changed": user_status_changed,
    **{name: not_mirrored for name in NOT_MIRRORED_EVENTS},
}


def handle(
    event_type: str,
    data: dict[str, Any],
    resource_id: int | None,
    *,
    confirmed_gone: bool = False,
    merge_fates: dict[int, Fate] | None = None,
) -> Outcome:
    """Run the handler for `event_type`; an event name nobody handles is `ignored`.

    A deletion needs `confirmed_gone`: Help Scout said the object is gone. A merge
    needs `merge_fates`: Help Scout's answer for each candidate source.
    """
    handler = HANDLERS.get(event_type)
    if handler is None:
        return Outcome(status=WebhookEventStatus.IGNORED)
    if deletion_to_confirm(event_type, data, resource_id) is not None and not confirmed_gone:
        raise DeletionNotConfirmed(f"{event_type} was not confirmed by Help Scout.")
    if handler is conversation_merged:
        return conversation_merged(data, resource_id, merge_fates)
    return handler(data, resource_id)
