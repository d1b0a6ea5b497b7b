"""Which kind of Help Scout object a JSON body is, judged from the fields it carries.

Why: a webhook's event name (`X-HelpScout-Event`) is not signed, only its body is. A
captured body replayed under another name must not be applied as that other event: a
conversation sent as `customer.updated` would create an empty customer. Each kind has
fields that only it carries at the top level (a conversation's `number`, a customer's
`firstName`, a tag's `slug`, a rating's `rating`); a body must carry some of its own
kind's and none of another's. Pure functions; they never query or call anything.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..exceptions import PayloadError

__all__ = ["KINDS", "is_notification", "kinds_of", "require_deletion", "require_kind"]

# Top-level fields only one kind of object carries (v2 shapes; see the reference).
# Deliberately not here: `id`, `createdAt`, `updatedAt`, `status`, `mailboxId` (a
# rating has one too), `_links`, `_embedded` (judged by what it embeds, below).
_MARKERS: dict[str, frozenset[str]] = {
    "conversation": frozenset(
        {
            "number",
            "folderId",
            "primaryCustomer",
            "customerWaitingSince",
            "closedBy",
            "closedByUser",
            "userUpdatedAt",
            "subject",
            "threads",
            "customFields",
        }
    ),
    "customer": frozenset(
        {
            "firstName",
            "lastName",
            "gender",
            "jobTitle",
            "photoType",
            "photoUrl",
            "background",
            "age",
            "organization",
            "organizationId",
            "location",
        }
    ),
    "tag": frozenset({"slug", "ticketCount", "color", "name", "tag"}),
    "rating": frozenset({"rating", "ticketId", "conversationId", "threadId"}),
}
_EMBEDDED_MARKERS: dict[str, frozenset[str]] = {
    "conversation": frozenset({"threads"}),
    "customer": frozenset(
        {"emails", "phones", "chats", "social_profiles", "websites", "address", "properties"}
    ),
}
KINDS = tuple(_MARKERS)

# What a deletion notice or a `notification: true` webhook carries instead of an object.
_NOTICE_KEYS = frozenset({"id", "url"})


def kinds_of(data: Mapping[str, Any]) -> set[str]:
    """The kinds whose own fields `data` carries (empty for a bare `{"id": ...}`)."""
    keys = data.keys()
    found = {kind for kind, markers in _MARKERS.items() if not markers.isdisjoint(keys)}
    embedded = data.get("_embedded")
    if isinstance(embedded, Mapping):
        found.update(
            kind
            for kind, markers in _EMBEDDED_MARKERS.items()
            if not markers.isdisjoint(embedded.keys())
        )
    return found


def is_notification(data: Mapping[str, Any]) -> bool:
    """A webhook registered with `notification: true` sends only the id and resource URL."""
    return data.keys() <= _NOTICE_KEYS and "url" in data


def _describe(found: set[str]) -> str:
    if not found:
        return "no fields of any Help Scout object"
    return "the fields of a " + " and a ".join(sorted(found))


def require_kind(data: Mapping[str, Any], kind: str, event_type: str) -> None:
    """`PayloadError` unless `data` is a `kind` object and no other kind's."""
    found = kinds_of(data)
    if found != {kind}:
        raise PayloadError(
            f"{event_type!r} must carry a Help Scout {kind}, but the body has "
            f"{_describe(found)}. The event name is not signed: the body decides."
        )


def require_deletion(data: Mapping[str, Any], kind: str, event_type: str) -> None:
    """`PayloadError` unless `data` is a deletion notice (`{"id"}`) or a `kind` object.

    Help Scout sends `{"id": ...}` for deletions; the object itself is accepted too. A
    body of another kind (a conversation replayed as `customer.deleted`) is refused.
    """
    if data.keys() <= _NOTICE_KEYS:
        return
    found = kinds_of(data)
    if found != {kind}:
        raise PayloadError(
            f"{event_type!r} must carry {{'id': ...}} or a Help Scout {kind}, but the "
            f"body has {_describe(found)}. The event name is not signed: the body decides."
        )
