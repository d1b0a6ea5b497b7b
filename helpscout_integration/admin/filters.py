"""Changelist filters that stay cheap on a million conversations.

Each filter lists choices from a small table (agents, tags) and filters on an indexed
column; none of them counts or scans conversations to build its choices.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ..emails import rows_with_email
from ..models import Agent, Tag

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def agent_for_user(user) -> Agent | None:
    """The Help Scout agent whose email matches this staff user, if any.

    Compared by Help Scout's rules (`emails.rows_with_email`: ASCII case-insensitive,
    nothing else folded), so a staff account `\u212aate@example.com` never writes as the
    agent `kate@example.com`. A real agent wins over a placeholder, then the lowest id.
    """
    email = (getattr(user, "email", "") or "").strip()
    if not email:
        return None
    agents = rows_with_email(Agent.objects.order_by("is_placeholder", "id"), "email", [email])
    return agents[0] if agents else None


class AssigneeFilter(admin.SimpleListFilter):
    """Assigned to me / unassigned / a given agent (index `hs_conv_assignee`)."""

    title = _("assignee")
    parameter_name = "assignee"

    def lookups(self, request, model_admin):
        choices: list[tuple[str, StrOrPromise]] = [
            ("me", _("Assigned to me")),
            ("none", _("Unassigned")),
        ]
        choices += [(str(a.pk), str(a)) for a in Agent.objects.order_by("first_name", "last_name")]
        return choices

    def queryset(self, request, queryset):
        value = self.value()
        if value == "me":
            agent = agent_for_user(request.user)
            return queryset.filter(assignee=agent) if agent else queryset.none()
        if value == "none":
            return queryset.filter(assignee__isnull=True)
        if value and value.isdigit():
            return queryset.filter(assignee_id=int(value))
        return queryset


class TagFilter(admin.SimpleListFilter):
    """Conversations carrying a tag; one join, no DISTINCT over the whole result."""

    title = _("tag")
    parameter_name = "tag"

    def lookups(self, request, model_admin):
        return [(str(t.pk), str(t)) for t in Tag.objects.order_by("name")]

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(tags__id=int(value))
        return queryset


class DeletedFilter(admin.SimpleListFilter):
    """Deleted conversations are kept and marked; hide them unless asked for."""

    title = _("deleted in Help Scout")
    parameter_name = "deleted"

    def lookups(self, request, model_admin):
        return [("no", _("Not deleted")), ("yes", _("Deleted"))]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.filter(is_deleted=False)
        if self.value() == "yes":
            return queryset.filter(is_deleted=True)
        return queryset
