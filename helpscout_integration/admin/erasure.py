"""Erasing customers from the admin, and the erasure records (read-only).

The action needs its own permission (`erase_customer`), asks for confirmation on a page
of its own, runs `erasure.erase_customer` and records each erasure as a LogEntry on
its record (whose label carries no personal data). Records are never editable: they
are the proof an erasure happened.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import Count
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from ..erasure import ErasureInterrupted, erase_customer
from ..exceptions import HelpScoutError
from ..models import CustomerErasure, ErasureStatus

APP = "helpscout_integration"
ERASE_PERMISSION = f"{APP}.erase_customer"

LEVELS: dict[str, int] = {
    ErasureStatus.DONE: messages.SUCCESS,
    ErasureStatus.AWAITING_HELPSCOUT: messages.INFO,
}


@admin.action(permissions=["erase"], description=_("Erase selected customers (GDPR)"))
def erase_customers(model_admin, request, queryset):
    if not request.POST.get("confirm_erase"):
        rows = queryset.annotate(conversation_count=Count("conversations")).order_by("pk")
        opts = model_admin.model._meta
        context = {
            **model_admin.admin_site.each_context(request),
            "opts": opts,
            "app_label": opts.app_label,
            "title": _("Erase customers"),
            "customers": [(c, c.conversation_count) for c in rows],
            "selected_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, f"admin/{APP}/customer/erase_confirmation.html", context)
    local_only = bool(request.POST.get("local_only"))
    for customer_id in list(queryset.order_by("pk").values_list("pk", flat=True)):
        try:
            records = erase_customer(customer_id, requested_by=request.user, local_only=local_only)
        except ErasureInterrupted as exc:
            model_admin.log_change(request, exc.record, f"Erasure interrupted: {exc}")
            model_admin.message_user(request, f"Customer {customer_id}: {exc}", messages.ERROR)
            continue
        except HelpScoutError as exc:
            model_admin.message_user(request, f"Customer {customer_id}: {exc}", messages.ERROR)
            continue
        for record in records:
            model_admin.log_change(
                request, record, f"Erased ({record.status}): {record.helpscout_outcome}"
            )
            outcome = f"{record.get_status_display()}. {record.helpscout_outcome}"
            model_admin.message_user(
                request,
                f"Customer {customer_id}: {outcome}",
                LEVELS.get(record.status, messages.WARNING),
            )
    return None


@admin.register(CustomerErasure)
class CustomerErasureAdmin(admin.ModelAdmin):
    list_display = ("id", "customer_id", "status", "requested_by", "requested_at", "completed_at")
    list_filter = ("status", "local_only")
    search_fields = ("=customer_id", "=address_hash")
    readonly_fields = (
        "customer_id", "address_hash", "requested_by", "requested_at", "completed_at",
        "status", "local_only", "helpscout_outcome", "steps",
    )  # fmt: skip

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
