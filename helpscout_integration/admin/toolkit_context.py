"""What the conversation page shows of the toolkit: snooze, next event, agents' status.

Read from the mirror only (never calls Help Scout).
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ..models import AgentStatus, Conversation
from ..payloads.scheduling import next_event_of, snooze_of


def toolkit_context(conversation: Conversation) -> dict:
    now = timezone.now()
    status = None
    if conversation.assignee_id:
        status = AgentStatus.objects.filter(pk=conversation.assignee_id).first()
    return {
        "toolkit_snooze": snooze_of(conversation.data, now),
        "toolkit_next_event": next_event_of(conversation.data, now),
        "toolkit_assignee_status": status,
    }


def with_assignee_status(queryset):
    """The changelist's rows with their assignee's email status (one subquery)."""
    status = AgentStatus.objects.filter(pk=OuterRef("assignee_id")).values("email_status")[:1]
    return queryset.annotate(assignee_status=Subquery(status))


@admin.display(description=_("assignee"), ordering="assignee")
def assignee_column(conversation: Conversation) -> str:
    if conversation.assignee is None:
        return "-"
    status = getattr(conversation, "assignee_status", None)
    if not status:
        return str(conversation.assignee)
    return format_html(
        '{} <span class="hs-availability hs-availability-{}" title="{}">{}</span>',
        conversation.assignee,
        status,
        _("Help Scout status: %(status)s") % {"status": status},
        _("away") if status == "away" else "●",
    )


@admin.display(description=_("next"))
def next_event_column(conversation: Conversation) -> str:
    """Changelist cell: snoozed until / scheduled reply due, whichever comes first."""
    now = timezone.now()
    snooze = snooze_of(conversation.data, now)
    event = next_event_of(conversation.data, now)
    if snooze is None and event is None:
        return "-"
    times = [t for t in (snooze.until if snooze else None, event.time if event else None) if t]
    when = min(times)
    snoozed = snooze is not None and when == snooze.until
    label = _("snoozed until") if snoozed else _("scheduled send")
    local = timezone.localtime(when)
    return format_html(
        '<span class="hs-next" title="{} {}">{} {}</span>',
        label,
        local.strftime("%Y-%m-%d %H:%M"),
        _("Snoozed") if snoozed else _("Sends"),
        date_format(local, "M j, H:i"),
    )
