"""The product's view of one user: the `CUSTOMER_PROPERTIES` callable, read safely.

Shared by the property push and the dynamic app so agents see the same facts in both
places. Never makes HTTP calls; a failing callable becomes an empty dict plus a log line,
never an exception in the caller's request.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model

from ..conf import get_settings
from ..emails import rows_with_identity

logger = logging.getLogger(__name__)


def user_email(user: Any) -> str:
    """The user's email address (the field Django's user model names), stripped."""
    field = getattr(type(user), "get_email_field_name", lambda: "email")()
    return (getattr(user, field, "") or "").strip()


def users_with_email(emails: Iterable[Any], manager=None) -> list[Any]:
    """Product users whose email is one of `emails` by the identity rule, lowest pk first.

    `emails.rows_with_identity` compares, so a Unicode fold in SQL never pairs a customer
    with a look-alike user, and an address Help Scout might fold (refused) pairs nobody.
    """
    User = get_user_model()
    rows = (manager if manager is not None else User._default_manager).order_by("pk")
    return rows_with_identity(rows, User.get_email_field_name(), emails)


def product_properties(user: Any) -> dict[str, Any]:
    """`CUSTOMER_PROPERTIES(user)`, or `{}` when unset; raises what the callable raises."""
    producer = get_settings().load_callable("CUSTOMER_PROPERTIES")
    if producer is None:
        return {}
    values = producer(user)
    if not isinstance(values, dict):
        raise TypeError(
            f"HELPSCOUT['CUSTOMER_PROPERTIES'] must return a dict, not {type(values).__name__}"
        )
    return values
