"""One-line helpers for the host's own admin: a user's or an account's Help Scout
conversations on its change page.

    from helpscout_integration.admin.host import account_conversations, user_conversations

    class UserAdmin(admin.ModelAdmin):
        readonly_fields = [user_conversations]

`user_conversations(user)` lists the latest conversations of the customers the user owns
(`END_USER_OWNERSHIP`, default: their email); `account_conversations(account)` those of
the customers of the account's organization (`helpscout_push_organizations` made the
link). Each row links to the conversation's page in this app's admin, which checks the
staff user's own permissions; the list itself shows only number, subject and status.
Reads the mirror only.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from ..api.ownership import customer_ids_for
from ..models import AccountOrganization, Conversation, Customer

SHOWN = 10


def _render(conversations: QuerySet, all_query: dict[str, Any] | None) -> str:
    latest = list(
        conversations.order_by("-updated_at").only("id", "number", "subject", "status")[:SHOWN]
    )
    if not latest:
        return str(_("No Help Scout conversations."))
    items = format_html_join(
        "",
        '<li><a href="{}">#{} {}</a> <small>{}</small></li>',
        (
            (
                reverse("admin:helpscout_integration_conversation_change", args=[c.pk]),
                c.number or c.pk,
                c.subject or _("(no subject)"),
                c.get_status_display() or "-",
            )
            for c in latest
        ),
    )
    more = ""
    if all_query:
        changelist = reverse("admin:helpscout_integration_conversation_changelist")
        more = format_html('<a href="{}?{}">{}</a>', changelist, urlencode(all_query), _("All"))
    return format_html('<ul class="hs-plain-list">{}</ul>{}', items, more)


@admin.display(description=_("Help Scout conversations"))
def user_conversations(user: Any) -> str:
    if user is None or user.pk is None:
        return "-"
    ids = customer_ids_for(user)
    return _render(Conversation.objects.filter(customer_id__in=ids, is_deleted=False), None)


@admin.display(description=_("Help Scout conversations"))
def account_conversations(account: Any) -> str:
    if account is None or account.pk is None:
        return "-"
    link = AccountOrganization.objects.filter(
        account_type=ContentType.objects.get_for_model(type(account)), account_id=str(account.pk)
    ).first()
    if link is None:
        return str(_("Not pushed to Help Scout yet."))
    members = Customer.objects.filter(organization_id=link.organization_id).values("pk")
    return _render(
        Conversation.objects.filter(customer_id__in=members, is_deleted=False),
        {"organization": link.organization_id},
    )
