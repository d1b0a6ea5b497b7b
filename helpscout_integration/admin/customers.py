"""Customers in the admin: who they are, their properties and their conversations.

Read-only like every mirror; one action pushes the product's view of a customer
(customer properties) to Help Scout, another erases customers (`admin/erasure.py`).
"""

from __future__ import annotations

import importlib

from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from ..customer_properties.context import users_with_email
from ..emails import email_keys
from ..models import Conversation, Customer
from .base import MirrorAdmin
from .erasure import ERASE_PERMISSION, erase_customers


def _push_function():
    """`customer_properties.push_properties_now`, or None while it is not installed.

    The synchronous push (not the queued `push_customer_properties`): staff clicked
    "now" and see each customer's outcome on the next page.
    """
    try:
        module = importlib.import_module("helpscout_integration.customer_properties")
    except ImportError:
        return None
    return getattr(module, "push_properties_now", None)


def _product_user(customer: Customer):
    """The product's user with one of this customer's emails (Help Scout's rules), if any."""
    for email in sorted(email_keys([customer.email, *(customer.emails or [])])):
        found = users_with_email([email])
        if found:
            return found[0]
    return None


@admin.action(permissions=["push_properties"], description=_("Push product properties now"))
def push_product_properties(model_admin, request, queryset):
    push = _push_function()
    if push is None:
        model_admin.message_user(request, "Customer properties are not available.", messages.ERROR)
        return
    pushed, missing = 0, []
    for customer in queryset:
        user = _product_user(customer)
        if user is None:
            missing.append(str(customer))
            continue
        try:
            result = push(user)
        except Exception as exc:  # report per customer; one failure must not hide the others
            model_admin.message_user(request, f"Push failed for {customer}: {exc}", messages.ERROR)
            continue
        if result.error:
            model_admin.message_user(
                request, f"Push failed for {customer}: {result.error}", messages.ERROR
            )
        elif not result.ok:
            model_admin.message_user(
                request,
                f"Pushed for {customer} with problems: {result.summary()}",
                messages.WARNING,
            )
        elif not result.pushed:
            model_admin.message_user(
                request,
                f"Nothing pushed for {customer}: CUSTOMER_PROPERTIES gave no values.",
                messages.WARNING,
            )
        else:
            pushed += 1
    if pushed:
        model_admin.message_user(
            request, f"Pushed product properties for {pushed} customer(s).", messages.SUCCESS
        )
    if missing:
        model_admin.message_user(
            request, "No product user has the email of: " + ", ".join(missing), messages.WARNING
        )


def _as_list(values):
    """A JSON list field as an HTML list (values, or a dict's `value`), "-" when empty.

    Django shows a read-only JSONField as raw JSON (`["a@example.com"]`); staff want the
    addresses themselves, one a line.
    """
    shown = []
    for value in values if isinstance(values, list) else []:
        if isinstance(value, dict):
            value = value.get("value") or ""
        if value:
            shown.append((str(value),))
    if not shown:
        return "-"
    return format_html(
        '<ul class="hs-plain-list">{}</ul>', format_html_join("", "<li>{}</li>", shown)
    )


@admin.register(Customer)
class CustomerAdmin(MirrorAdmin):
    list_display = ("__str__", "email", "organization_label", "location", "updated_at")
    list_filter = ("is_deleted", ("updated_at", admin.DateFieldListFilter))
    search_fields = ("email", "first_name", "last_name", "organization_name")
    ordering = ("last_name", "first_name", "id")
    show_full_result_count = False
    list_select_related = ("organization",)
    actions = (push_product_properties, erase_customers)
    readonly_fields = ("email_list", "phone_list", "property_table", "recent_conversations")
    fieldsets = (
        (None, {"fields": ("first_name", "last_name", "email", "email_list", "phone_list")}),
        (
            _("About"),
            {
                "fields": (
                    "organization",
                    "organization_name",
                    "job_title",
                    "location",
                    "background",
                )
            },
        ),
        (_("Customer properties"), {"fields": ("property_table",)}),
        (_("Conversations"), {"fields": ("recent_conversations",)}),
        (
            _("Mirror"),
            {
                "classes": ("collapse",),
                "fields": ("id", "created_at", "updated_at", "is_deleted", "is_placeholder",
                           "hs_updated_at", "synced_at", "data"),
            },
        ),
    )  # fmt: skip

    def has_erase_permission(self, request):
        return request.user.has_perm(ERASE_PERMISSION)

    def has_push_properties_permission(self, request):
        # Offered only while the push is installed (no get_actions() override: its
        # signature differs between Django 5.2 and 6.1). Pushing writes to Help Scout:
        # the model's change permission (the page stays read-only).
        return _push_function() is not None and request.user.has_perm(
            "helpscout_integration.change_customer"
        )

    @admin.display(description=_("emails"))
    @admin.display(description=_("Organization"), ordering="organization__name")
    def organization_label(self, obj):
        """The mirrored organization, else Help Scout's legacy free-text organization."""
        return str(obj.organization) if obj.organization_id else (obj.organization_name or "-")

    def email_list(self, obj):
        return _as_list(obj.emails)

    @admin.display(description=_("phones"))
    def phone_list(self, obj):
        return _as_list(obj.phones)

    @admin.display(description=_("properties"))
    def property_table(self, obj):
        props = obj.properties if isinstance(obj.properties, dict) else {}
        if not props:
            return "-"
        rows = format_html_join(
            "", "<tr><th>{}</th><td>{}</td></tr>", ((k, v) for k, v in sorted(props.items()))
        )
        return format_html("<table>{}</table>", rows)

    @admin.display(description=_("recent conversations"))
    def recent_conversations(self, obj):
        convs = (
            Conversation.objects.filter(customer=obj)
            .order_by("-updated_at")
            .only("id", "number", "subject", "status", "updated_at")[:20]
        )
        items = [
            (
                reverse(
                    f"{self.admin_site.name}:helpscout_integration_conversation_change", args=[c.pk]
                ),  # fmt: skip
                c.number or c.pk,
                c.subject or "(no subject)",
                c.status,
            )
            for c in convs
        ]
        if not items:
            return "-"
        return format_html(
            "<ul>{}</ul>",
            format_html_join("", '<li><a href="{}">#{} {}</a> ({})</li>', items),
        )
