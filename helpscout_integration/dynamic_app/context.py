"""The sidebar's template context: the product user behind a Help Scout customer.

Finds the user by any of the customer's emails and builds the same facts the customer
property push sends (`CUSTOMER_PROPERTIES`), plus whatever `DYNAMIC_APP_CONTEXT(user,
sidebar_request)` adds. Database reads only: never calls Help Scout, so the sidebar
answers fast. A failing host callable is logged and leaves its part out.
"""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.auth import get_user_model

from ..conf import get_settings
from ..customer_properties.context import product_properties, users_with_email
from .request import SidebarRequest

logger = logging.getLogger(__name__)


def find_user(emails) -> Any | None:
    """The active product user with one of `emails` (Help Scout's rules; lowest pk wins)."""
    User = get_user_model()
    rows = User._default_manager.all()
    if hasattr(User, "is_active"):
        rows = rows.filter(is_active=True)
    found = users_with_email(emails or (), manager=rows)
    return found[0] if found else None


def _label(slug: str) -> str:
    return slug.replace("-", " ").replace("_", " ").strip().capitalize()


def sidebar_context(sidebar: SidebarRequest) -> dict[str, Any]:
    user = find_user(sidebar.emails)
    context: dict[str, Any] = {"sidebar": sidebar, "user": user, "properties": []}
    if user is None:
        return context
    try:
        values = product_properties(user)
    except Exception:  # the host's callable must not break the sidebar
        logger.exception("CUSTOMER_PROPERTIES failed in the dynamic app")
        values = {}
    context["properties"] = [
        {"slug": slug, "label": _label(slug), "value": value}
        for slug, value in values.items()
        if value is not None
    ]
    extra = get_settings().load_callable("DYNAMIC_APP_CONTEXT")
    if extra is not None:
        try:
            context.update(extra(user, sidebar) or {})
        except Exception:
            logger.exception("DYNAMIC_APP_CONTEXT failed in the dynamic app")
    return context
