"""Ask Help Scout before a webhook retires anything: deletions and merges are confirmed.

Why: only a webhook's body is signed, not its event name, and a deletion notice is just
`{"id": ...}`. Anyone holding one captured delivery could replay it as `convo.deleted`,
`customer.deleted` or `tag.deleted`, or replay an old conversation as `convo.merged`,
and retire live rows. So a deletion or a merge is applied only when Help Scout itself
says so (`sync.fate`: 404, a 301 to the survivor, or a conversation in the trash). An
object Help Scout still has is `StillExists` (deletions) or left alone (merge sources);
an answer we cannot get (network, 5xx, 429, no API credentials) is raised as is, so the
event is retried and never applied blind.

Runs outside any transaction: a slow Help Scout must not hold the event's row lock.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..conf import get_settings
from ..exceptions import ConfigurationError, HelpScoutError
from ..sync.fate import MERGED, Fate, fate_of

__all__ = ["GONE", "MERGED", "StillExists", "confirm_fates", "confirm_gone"]

RATE_LIMIT_WAIT = 5.0
"""Seconds a confirmation may wait for Help Scout's rate limit before the event retries."""

GONE = "gone"


class StillExists(HelpScoutError):
    """Help Scout still has the object a deletion event names: nothing is deleted."""


def _require_api(what: str) -> None:
    if not get_settings().api_enabled:
        raise ConfigurationError(
            f"Cannot confirm {what}: the Help Scout API is not configured (APP_ID, "
            "APP_SECRET), and deletions and merges are applied only when Help Scout "
            "confirms them."
        )


def confirm_fates(kind: str, object_ids: Iterable[int]) -> dict[int, Fate]:
    """Help Scout's answer (`sync.fate`) for each of `object_ids`, asked one by one.

    Raises `ConfigurationError` without API credentials, and whatever the client raises
    when Help Scout cannot be asked; either way nothing may be applied.
    """
    from ..client import HelpScoutClient

    ids = list(dict.fromkeys(int(i) for i in object_ids))
    if not ids:
        return {}
    _require_api(f"what happened to {kind} {', '.join(map(str, ids))}")
    # A rate-limited answer is not worth holding a worker for: the event is retried.
    with HelpScoutClient.from_settings(max_rate_limit_wait=RATE_LIMIT_WAIT) as client:
        return {object_id: fate_of(client, kind, object_id) for object_id in ids}


def confirm_gone(kind: str, object_id: int) -> str:
    """`GONE` or `MERGED` when Help Scout confirms `object_id` is deleted; raises otherwise.

    `StillExists` when Help Scout still has it; `ConfigurationError` when the API is not
    configured (nothing can be confirmed); any client error when Help Scout cannot be
    asked. Only the first two are answers about the object.
    """
    _require_api(f"the deletion of {kind} {object_id}")
    fate = confirm_fates(kind, [object_id])[int(object_id)]
    if fate.status == MERGED:
        return MERGED
    if fate.is_gone:
        return GONE
    raise StillExists(
        f"Help Scout still has {kind} {object_id}: the deletion was not applied. The "
        "event name is not signed, so a deletion is applied only when Help Scout "
        "confirms it (its get answers 404)."
    )
