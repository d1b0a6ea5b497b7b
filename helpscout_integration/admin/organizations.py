"""Organizations and teams in the admin: read-only mirrors, each organization's page
showing its properties, customers and latest conversations (with a link to all of them
in the conversation changelist), each team its members.

The customer list names customers (name, email): without `view_customer` the page shows
why it is hidden instead (`customer_visibility`), like the conversation page. The latest
conversations stay (subjects and status only, which `view_conversation` already shows).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import admin
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from ..models import Conversation, Organization, Team
from .base import MirrorAdmin
from .customer_visibility import can_view_customers, hidden_reason

SHOWN = 20


@admin.register(Organization)
class OrganizationAdmin(MirrorAdmin):
    list_display = ("name", "domain_list", "location", "customer_count", "conversation_count")
    search_fields = ("name",)
    list_filter = ("location",)
    ordering = ("name", "id")
    show_full_result_count = False
    readonly_fields = (
        "domain_list", "property_table", "customer_list", "customers_hidden", "conversation_list",
    )  # fmt: skip
    fieldsets = (
        (None, {"fields": ("name", "domain_list", "website", "location", "description", "note")}),
        (_("Properties"), {"fields": ("property_table",)}),
        (_("Customers"), {"fields": ("customer_count", "customer_list")}),
        (_("Conversations"), {"fields": ("conversation_count", "conversation_list")}),
        (
            _("Mirror"),
            {
                "classes": ("collapse",),
                "fields": (
                    "id", "phones", "brand_color", "logo_url", "last_interaction_at",
                    "is_placeholder", "hs_updated_at", "synced_at", "data",
                ),
            },
        ),
    )  # fmt: skip

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if can_view_customers(request.user):
            return fieldsets
        return [
            (n, {**o, "fields": ["customers_hidden" if f == "customer_list" else f
                                 for f in o["fields"]]})
            for n, o in fieldsets
        ]  # fmt: skip

    @admin.display(description=_("customers"))
    def customers_hidden(self, obj):
        return format_html('<p class="hs-hidden-note" id="hs-customer-hidden">{}</p>',
                           hidden_reason())  # fmt: skip

    @admin.display(description=_("domains"))
    def domain_list(self, obj):
        return ", ".join(obj.domains or ()) or "-"

    @admin.display(description=_("properties"))
    def property_table(self, obj):
        rows = sorted((obj.properties or {}).items())
        if not rows:
            return "-"
        return format_html(
            '<table class="hs-properties">{}</table>',
            format_html_join(
                "", '<tr><th scope="row">{}</th><td>{}</td></tr>', ((k, v) for k, v in rows)
            ),
        )

    def _url(self, model: str, *args) -> str:
        return reverse(f"{self.admin_site.name}:helpscout_integration_{model}", args=args)

    @admin.display(description=_("customers"))
    def customer_list(self, obj):
        customers = list(obj.customers.order_by("last_name", "first_name", "id")[:SHOWN])
        if not customers:
            return "-"
        items = format_html_join(
            "",
            '<li><a href="{}">{}</a> {}</li>',
            (
                (self._url("customer_change", c.pk), str(c), c.email if c.full_name else "")
                for c in customers
            ),
        )
        all_url = (
            self._url("customer_changelist") + "?" + urlencode({"organization__id__exact": obj.pk})
        )
        return format_html(
            '<ul class="hs-plain-list">{}</ul><a href="{}">{}</a>',
            items,
            all_url,
            _("All customers"),
        )

    @admin.display(description=_("latest conversations"))
    def conversation_list(self, obj):
        members = obj.customers.values("pk")
        latest = list(
            Conversation.objects.filter(customer_id__in=members)
            .order_by("-updated_at")
            .only("id", "number", "subject", "status")[:SHOWN]
        )
        if not latest:
            return "-"
        items = format_html_join(
            "",
            '<li><a href="{}">#{} {}</a> <span class="hs-status hs-status-{}">{}</span></li>',
            (
                (
                    self._url("conversation_change", c.pk),
                    c.number or c.pk,
                    c.subject,
                    c.status or "none",
                    c.get_status_display() or "-",
                )
                for c in latest
            ),
        )
        all_url = self._url("conversation_changelist") + "?" + urlencode({"organization": obj.pk})
        return format_html(
            '<ul class="hs-plain-list">{}</ul><a href="{}">{}</a>',
            items,
            all_url,
            _("All conversations"),
        )


@admin.register(Team)
class TeamAdmin(MirrorAdmin):
    list_display = ("name", "member_count", "mention")
    search_fields = ("name",)
    ordering = ("name", "id")
    readonly_fields = ("member_list",)
    fieldsets = (
        (None, {"fields": ("name", "mention", "timezone", "member_list")}),
        (
            _("Mirror"),
            {
                "classes": ("collapse",),
                "fields": ("id", "is_placeholder", "hs_updated_at", "synced_at", "data"),
            },
        ),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_members=Count("members"))

    @admin.display(description=_("members"), ordering="_members")
    def member_count(self, obj):
        return obj._members

    @admin.display(description=_("members"))
    def member_list(self, obj):
        members = obj.members.order_by("first_name", "last_name")
        return ", ".join(str(m) for m in members) or "-"
