"""What the conversation page's sidebar shows of the customer's company: the mirrored
organization, and the product's own user and account for that customer, linked to the
host's admin pages when the host registered those models.

Reads only the mirror and the product's database; never calls Help Scout. A failing
`ORGANIZATION_OF_USER` callable is logged and shows nothing rather than breaking the page.
"""

from __future__ import annotations

import logging
from typing import Any

from django.urls import NoReverseMatch, reverse

from ..customer_properties.context import users_with_email
from ..models import Customer
from ..organizations.context import account_of, configured

logger = logging.getLogger(__name__)


def host_admin_url(admin_site, obj: Any) -> str:
    """The change page of `obj` in the host's admin, or "" when its model is not there."""
    if obj is None or not admin_site.is_registered(type(obj)):
        return ""
    meta = obj._meta
    try:
        return reverse(
            f"{admin_site.name}:{meta.app_label}_{meta.model_name}_change", args=[obj.pk]
        )
    except NoReverseMatch:
        return ""


def organization_context(admin_site, customer: Customer | None) -> dict[str, Any]:
    if customer is None:
        return {}
    context: dict[str, Any] = {}
    org = customer.organization if customer.organization_id else None
    if org is not None:
        context["organization"] = org
        context["organization_url"] = reverse(
            f"{admin_site.name}:helpscout_integration_organization_change", args=[org.pk]
        )
    users = users_with_email(customer.emails or ([customer.email] if customer.email else []))
    user = users[0] if users else None
    if user is not None:
        context["product_user"] = user
        context["product_user_url"] = host_admin_url(admin_site, user)
        if configured():
            try:
                account = account_of(user)
            except Exception:  # the host's callable: never break the page
                logger.exception("ORGANIZATION_OF_USER failed for user %s", user.pk)
                account = None
            if account is not None:
                context["product_account"] = account
                context["product_account_url"] = host_admin_url(admin_site, account)
    return context
