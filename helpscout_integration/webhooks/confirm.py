"""Ask Help Scout whether a deleted object is really gone before the mirror drops it.

Why: only a webhook's body is signed, not its event name, and a deletion notice is just
`{"id": ...}`. Anyone holding one captured delivery could replay it as `convo.deleted`,
`customer.deleted` or `tag.deleted` and erase mirror rows. So a deletion is applied
only when Help Scout itself says the object is gone: its get answers 404, a conversation
answers 301 (merged into another) or is in the `deleted` state. An object Help Scout
still has is `StillExists`; an answer we cannot get (network, 5xx, 429, no API
credentials) is raised as is, so the event is retried and never applied blind.

Runs outside any transaction: a slow Help Scout must not hold the event's row lock.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .. import exceptions
from ..conf import get_settings
from ..exceptions import (
    APIError,
    ConfigurationError,
    HelpScoutError,
    NotFoundError,
    PayloadError,
)
from ..jsontypes import JSONObject
from ..payloads import parse_conversation

if TYPE_CHECKING:
    from ..client import HelpScoutClient

__all__ = ["GONE", "MERGED", "StillExists", "confirm_gone"]

RATE_LIMIT_WAIT = 5.0
"""Seconds a confirmation may wait for Help Scout's rate limit before the event retries."""

GONE = "gone"
MERGED = "merged"

# Another change may add a dedicated exception for Help Scout's 301 on a merged
# conversation; until then (and with it) a 301 status is what says "merged".
_MERGED_ERRORS = tuple(e for e in (getattr(exceptions, "ConversationMerged", None),) if e)


class StillExists(HelpScoutError):
    """Help Scout still has the object a deletion event names: nothing is deleted."""


def _get(client: HelpScoutClient, kind: str, object_id: int) -> JSONObject:
    if kind == "conversation":
        return client.conversations.get(object_id, embed=None)
    if kind == "customer":
        return client.customers.get(object_id)
    if kind == "tag":
        return client.tags.get(object_id)
    raise ValueError(f"No deletion is confirmed for {kind!r}.")


def _in_trash(data: JSONObject) -> bool:
    try:
        return parse_conversation(data).is_deleted
    except PayloadError:  # Help Scout answered 200 with something else: not confirmed
        return False


def confirm_gone(kind: str, object_id: int) -> str:
    """`GONE` or `MERGED` when Help Scout confirms `object_id` is deleted; raises otherwise.

    `StillExists` when Help Scout still has it; `ConfigurationError` when the API is not
    configured (nothing can be confirmed); any client error when Help Scout cannot be
    asked. Only the first two are answers about the object.
    """
    from ..client import HelpScoutClient

    if not get_settings().api_enabled:
        raise ConfigurationError(
            f"Cannot confirm the deletion of {kind} {object_id}: the Help Scout API is not "
            "configured (APP_ID, APP_SECRET), and a deletion is applied only when Help "
            "Scout confirms it."
        )
    # A rate-limited answer is not worth holding a worker for: the event is retried.
    with HelpScoutClient.from_settings(max_rate_limit_wait=RATE_LIMIT_WAIT) as client:
        try:
            data = _get(client, kind, object_id)
        except NotFoundError:
            return GONE
        except _MERGED_ERRORS:
            return MERGED
        except APIError as exc:
            if exc.status_code == 301 and kind == "conversation":
                return MERGED
            raise
    if kind == "conversation" and _in_trash(data):
        return GONE  # in Help Scout's trash: deleted, still readable for a while
    raise StillExists(
        f"Help Scout still has {kind} {object_id}: the deletion was not applied. The "
        "event name is not signed, so a deletion is applied only when Help Scout "
        "confirms it (its get answers 404)."
    )
