"""The Help Scout overview page: sync health, webhook backlog, rate-limit waits, a chart.

Read-only and cheap on large tables: counts come from the estimated-count paginator on
PostgreSQL, the chart reads 30 days of conversations through the `created_at` index.
Never calls Help Scout.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.db.models.functions import TruncDate
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from ..checks import WEBHOOK_WAIT_WARNING, oldest_waiting_webhook_seconds
from ..conf import get_settings
from ..models import (
    Agent,
    Conversation,
    Customer,
    Mailbox,
    SyncState,
    Tag,
    Thread,
    WebhookEvent,
    WebhookEventStatus,
    WebhookRejection,
    WebhookRejectionReason,
)
from ..sync import checkpoints
from .chart import build_status_chart
from .paginator import count_rows
from .queryset import horizon

APP = "helpscout_integration"
CHART_DAYS = 30
REJECTION_DAYS = 14


def rejections_per_day(days: int = REJECTION_DAYS) -> list[dict]:
    """Refused deliveries of the last `days` days that had any, newest first."""
    since = timezone.localdate() - dt.timedelta(days=days - 1)
    per_day: dict[dt.date, dict] = {}
    for day, reason, count in WebhookRejection.objects.filter(day__gte=since).values_list(
        "day", "reason", "count"
    ):
        row = per_day.setdefault(day, {"day": day, "total": 0})
        row[reason] = count
        row["total"] += count
    reasons = WebhookRejectionReason.values
    return [{**{r: 0 for r in reasons}, **per_day[day]} for day in sorted(per_day, reverse=True)]


def chart_end(today: dt.date | None = None) -> dt.date:
    """Today, or the day of the newest conversation when nothing is newer (an old mirror or
    a demo seed still gets a chart, labelled with its real dates)."""
    today = today or timezone.localdate()
    newest = (
        # A date more than a day ahead is no Help Scout time (queryset.horizon).
        Conversation.objects.filter(created_at__isnull=False, created_at__lte=horizon())
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    if newest is None:
        return today
    return min(today, timezone.localtime(newest).date())


def status_counts_per_day(end: dt.date, days: int = CHART_DAYS):
    """{(date, status): count} of conversations created in the `days` days up to `end`."""
    tz = timezone.get_current_timezone()
    start = timezone.make_aware(dt.datetime.combine(end - dt.timedelta(days=days - 1),
                                                    dt.time.min), tz)  # fmt: skip
    stop = timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min), tz)
    rows = (
        Conversation.objects.filter(created_at__gte=start, created_at__lt=stop)
        .annotate(day=TruncDate("created_at", tzinfo=tz))
        .values("day", "status")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {(row["day"], row["status"]): row["n"] for row in rows}


def sync_rows():
    rows = []
    for state in SyncState.objects.order_by("resource", "mailbox_id"):
        stats = state.last_run_stats if isinstance(state.last_run_stats, dict) else {}
        rows.append(
            {
                "state": state,
                "rate_limit_waits": stats.get("rate_limit_waits", 0) or 0,
                "rate_limit_wait_seconds": stats.get("rate_limit_wait_seconds", 0) or 0,
                "stats": stats,
                "progress": checkpoints.progress(state),
            }
        )
    return rows


def overview_context(user) -> dict:
    can = {
        name: user.has_perm(f"{APP}.view_{name}")
        for name in ("syncstate", "webhookevent", "conversation")
    }
    if not any(can.values()):
        raise PermissionDenied
    context: dict = {"can": can, "api_enabled": get_settings().api_enabled}
    if can["syncstate"]:
        rows = sync_rows()
        context["sync_rows"] = rows
        context["rate_limit_waits"] = sum(int(r["rate_limit_waits"]) for r in rows)
        context["rate_limit_wait_seconds"] = sum(float(r["rate_limit_wait_seconds"]) for r in rows)
        context["can_run_sync"] = user.has_perm(f"{APP}.run_sync")
        context["counts"] = [
            (model._meta.verbose_name_plural, *count_rows(model.objects.all()))
            for model in (Mailbox, Agent, Tag, Customer, Conversation, Thread)
        ]
    if can["webhookevent"]:
        by_status = dict(
            WebhookEvent.objects.order_by()
            .values_list("status")
            .annotate(n=Count("id"))
            .values_list("status", "n")
        )
        waited = oldest_waiting_webhook_seconds() if by_status.get("received") else None
        context["webhooks"] = {
            "pending": by_status.get(WebhookEventStatus.RECEIVED, 0),
            "oldest_wait_seconds": waited,
            "stalled": waited is not None and waited > WEBHOOK_WAIT_WARNING,
            "failed": by_status.get(WebhookEventStatus.FAILED, 0),
            "processed": by_status.get(WebhookEventStatus.PROCESSED, 0),
            "ignored": by_status.get(WebhookEventStatus.IGNORED, 0),
            "recent_failed": list(
                WebhookEvent.objects.filter(status=WebhookEventStatus.FAILED)
                .order_by("-received_at")
                .only("id", "event_type", "error", "received_at")[:5]
            ),
            "rejections": rejections_per_day(),
            "rejection_days": REJECTION_DAYS,
        }
    if can["conversation"]:
        end = chart_end()
        counts = status_counts_per_day(end)
        context["chart"] = build_status_chart(counts, end=end, days=CHART_DAYS)
        context["chart_is_current"] = end == timezone.localdate()
        if get_settings().app_platform_enabled:
            context["preview_conversation"] = (
                Conversation.objects.order_by("-created_at", "-pk").only("pk", "number").first()
            )
    return context


def overview_view(admin_site, request):
    context = {
        **admin_site.each_context(request),
        **overview_context(request.user),
        "title": "Help Scout overview",
        "app_label": APP,
        "overview_url": reverse(f"{admin_site.name}:{APP}_overview"),
    }
    return TemplateResponse(request, f"admin/{APP}/overview.html", context)
