"""Sync checkpoints in the admin, and the buttons that start a sync or open the overview.

Read-only: checkpoints are written by sync runs. Deleting one makes the next run of that
resource start over (a full pass).
"""

from __future__ import annotations

import json

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ..models import SyncState
from .actions import enqueue_incremental_sync, run_incremental_sync
from .views import overview_view


@admin.register(SyncState)
class SyncStateAdmin(admin.ModelAdmin):
    list_display = (
        "__str__",
        "checkpoint",
        "last_full_sync_at",
        "last_incremental_sync_at",
        "rate_limit_waits",
        "has_error",
        "updated_at",
    )
    list_filter = ("resource",)
    ordering = ("resource", "mailbox_id")
    actions = (run_incremental_sync,)
    change_list_template = "admin/helpscout_integration/syncstate/change_list.html"
    readonly_fields = (
        "resource", "mailbox_id", "checkpoint", "cursor", "last_full_sync_at",
        "last_incremental_sync_at", "pretty_stats", "last_error", "updated_at",
    )  # fmt: skip
    fields = readonly_fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_run_sync_permission(self, request):
        return request.user.has_perm("helpscout_integration.run_sync")

    @admin.display(description=_("rate-limit waits"))
    def rate_limit_waits(self, obj):
        stats = obj.last_run_stats if isinstance(obj.last_run_stats, dict) else {}
        return stats.get("rate_limit_waits", "-")

    @admin.display(description=_("error"), boolean=True)
    def has_error(self, obj):
        return bool(obj.last_error)

    @admin.display(description=_("last run"))
    def pretty_stats(self, obj):
        return format_html("<pre>{}</pre>", json.dumps(obj.last_run_stats, indent=2, default=str))

    def get_urls(self):
        return [
            path(
                "overview/",
                self.admin_site.admin_view(lambda request: overview_view(self.admin_site, request)),
                name="helpscout_integration_overview",
            ),
            path(
                "run-sync/",
                self.admin_site.admin_view(self.run_sync_view),
                name="helpscout_integration_syncstate_run_sync",
            ),
        ] + super().get_urls()

    def run_sync_view(self, request):
        """POST only (CSRF-protected by admin_view): queue an incremental sync."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_run_sync_permission(request):
            raise PermissionDenied
        try:
            task_id = enqueue_incremental_sync()
        except Exception as exc:  # a broken task backend must not look like success
            self.message_user(request, f"Could not queue the sync: {exc}", messages.ERROR)
        else:
            self.message_user(
                request, f"Incremental sync queued (task {task_id}).", messages.SUCCESS
            )
        return HttpResponseRedirect(
            request.POST.get("next") and reverse(
                f"{self.admin_site.name}:helpscout_integration_overview")
            or reverse(f"{self.admin_site.name}:helpscout_integration_syncstate_changelist")
        )  # fmt: skip
