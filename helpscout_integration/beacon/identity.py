"""Who Beacon should say the visitor is: the `BEACON_IDENTITY` callable and its default.

A callable takes the request and returns a dict (`name`, `email`, optionally `company`,
`jobTitle`, `avatar` and custom attributes) or None for an anonymous visitor. It must be
cheap and must never perform HTTP: it runs on every page that renders the tag.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import Any

from django.http import HttpRequest
from django.utils.module_loading import import_string

from ..conf import get_settings

logger = logging.getLogger(__name__)


def default_identity(request: HttpRequest | None) -> dict[str, Any] | None:
    """Full name and email of the signed-in user; None for anonymous or email-less users.

    Also None when `END_USER_OWNERSHIP` is set and does not vouch for the user's email:
    in secure mode the signature tells Help Scout the visitor owns that address. An
    address the identity rule refuses is passed on, so that `config.identity_or_refusal`
    refuses it in one place and logs why.
    """
    from ..api.ownership import owns_email
    from ..emails import refusal

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    email = (getattr(user, "email", "") or "").strip()
    if not email or not (owns_email(user, email) or refusal(email) is not None):
        return None
    get_full_name = getattr(user, "get_full_name", None)
    name = (get_full_name() if callable(get_full_name) else "") or user.get_username()
    return {"name": name.strip(), "email": email}


@lru_cache(maxsize=8)
def _identity_callable(path: str):
    return import_string(path) if path else default_identity


def resolve_identity(request: HttpRequest | None) -> dict[str, Any] | None:
    """Call the configured identity callable; a failing callable means an anonymous Beacon.

    A bug in host code must not take the page down with it, so errors are logged (with the
    traceback) and the visitor is treated as anonymous.
    """
    func = _identity_callable(get_settings().BEACON_IDENTITY)
    try:
        identity = func(request)
    except Exception:
        logger.exception("helpscout: BEACON_IDENTITY callable failed; Beacon stays anonymous")
        return None
    if identity is None:
        return None
    if not isinstance(identity, dict):
        logger.warning(
            "helpscout: BEACON_IDENTITY returned %s, not a dict; Beacon stays anonymous",
            type(identity).__name__,
        )
        return None
    return identity
