"""The sidebar's template context: the product user behind a Help Scout customer, and
their account and organization.

Finds the user by any of the customer's emails and builds the same facts the customer
property push sends (`CUSTOMER_PROPERTIES`); adds `account` (`ORGANIZATION_OF_USER`) and
`organization` (the mirrored Organization the account was pushed as, else the customer's
own); then whatever `DYNAMIC_APP_CONTEXT(user, sidebar_request)` adds. That callable
also receives `account=` and `organization=` when its signature takes them (or
`**kwargs`), so two-argument callables written before keep working. Database reads only:
never calls Help Scout, so the sidebar answers fast. A failing host callable is logged
and leaves its part out.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable
from typing import Any

from django.contrib.auth import get_user_model

from ..conf import get_settings
from ..customer_properties.context import product_properties, users_with_email
from ..emails import email_keys
from ..models import AccountOrganization, Customer, Organization
from ..organizations.context import account_key, account_of, configured
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


def find_account(user: Any) -> Any | None:
    if not configured():
        return None
    try:
        return account_of(user)
    except Exception:  # the host's callable must not break the sidebar
        logger.exception("ORGANIZATION_OF_USER failed in the dynamic app")
        return None


def find_organization(account: Any | None, emails) -> Organization | None:
    """The organization the account was pushed as, else one the customer belongs to."""
    if account is not None:
        kind, pk = account_key(account)
        link = AccountOrganization.objects.filter(account_type=kind, account_id=pk).first()
        if link is not None:
            found = Organization.objects.filter(pk=link.organization_id).first()
            if found is not None:
                return found
    keys = email_keys(emails or ())
    if not keys:
        return None
    org_id = (
        Customer.objects.filter(email__in=keys, organization__isnull=False)
        .values_list("organization_id", flat=True)
        .first()
    )
    return Organization.objects.filter(pk=org_id).first() if org_id else None


def _takes(callable_: Callable[..., Any], name: str) -> bool:
    try:
        parameters = inspect.signature(callable_).parameters.values()
    except (TypeError, ValueError):
        return False
    return any(p.name == name or p.kind is p.VAR_KEYWORD for p in parameters)


def call_context(extra: Callable[..., Any], user, sidebar, account, organization) -> dict:
    """`DYNAMIC_APP_CONTEXT(user, sidebar)`, with `account=`/`organization=` when taken."""
    kwargs = {
        name: value
        for name, value in (("account", account), ("organization", organization))
        if _takes(extra, name)
    }
    return extra(user, sidebar, **kwargs) or {}


def _label(slug: str) -> str:
    return slug.replace("-", " ").replace("_", " ").strip().capitalize()


def sidebar_context(sidebar: SidebarRequest) -> dict[str, Any]:
    user = find_user(sidebar.emails)
    context: dict[str, Any] = {
        "sidebar": sidebar,
        "user": user,
        "properties": [],
        "account": None,
        "organization": None,
    }
    if user is None:
        return context
    context["account"] = find_account(user)
    context["organization"] = find_organization(context["account"], sidebar.emails)
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
            context.update(
                call_context(extra, user, sidebar, context["account"], context["organization"])
            )
        except Exception:
            logger.exception("DYNAMIC_APP_CONTEXT failed in the dynamic app")
    return context
