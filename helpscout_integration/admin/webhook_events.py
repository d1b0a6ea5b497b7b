"""The webhook event log in the admin: what arrived, what processing made of it, replay.

Events are the app's own log (not a mirror): read-only, deletable for pruning, never
editable. Replay re-queues processing; it never fabricates a delivery.
"""

from __future__ import annotations

import json

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ..models import WebhookEvent
from ..webhooks.strict_json import loads_strict
from .actions import replay_webhook_events
from .base import HonestCountChangeList

# Headers that could help someone forge or replay a delivery are not shown.
HIDDEN_HEADERS = {"x-helpscout-signature", "authorization", "cookie"}


@admin.register(WebhookEvent)
class WebhookEventAdmin(admin.ModelAdmin):
    class Media:  # fit 1366 px: one-line cells, the sort column in view
        css = {"all": ["helpscout_integration/admin-lists.css"]}

    list_display = (
        "id",
        "event_type",
        "status",
        "signature_valid",
        "resource_id",
        "attempts",
        "deliveries",
        "received_at",
        "processed_at",
    )
    list_filter = (
        "status",
        "event_type",
        "signature_valid",
        ("received_at", admin.DateFieldListFilter),
    )
    search_fields = ("=resource_id", "event_type", "error")
    date_hierarchy = "received_at"
    ordering = ("-received_at", "-id")
    show_full_result_count = False

    def get_changelist(self, request, **kwargs):
        return HonestCountChangeList

    show_facets = admin.ShowFacets.NEVER
    actions = (replay_webhook_events,)
    readonly_fields = (
        "event_type", "status", "signature_valid", "resource_id", "attempts", "error",
        "duplicate_of", "received_at", "processed_at", "deliveries", "last_delivered_at",
        "pretty_body", "safe_headers", "body_sha256",
    )  # fmt: skip
    fields = readonly_fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_replay_permission(self, request):
        return request.user.has_perm("helpscout_integration.replay_webhookevent")

    @admin.display(description=_("body"))
    def pretty_body(self, obj):
        text = obj.body_text
        try:
            # Strict: a stored body nested 1,000 deep must not take the page down.
            text = json.dumps(loads_strict(text), indent=2, sort_keys=True)
        except ValueError:
            pass
        return format_html('<pre style="white-space:pre-wrap;max-width:80em">{}</pre>', text)

    @admin.display(description=_("headers"))
    def safe_headers(self, obj):
        headers = {k: v for k, v in (obj.headers or {}).items() if k.lower() not in HIDDEN_HEADERS}
        return format_html("<pre>{}</pre>", json.dumps(headers, indent=2, sort_keys=True))
