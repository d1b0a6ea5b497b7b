"""Conversation changelist filters by team and by organization, cheap on a million rows.

Team: "Assigned to my team" (a team the staff user's agent belongs to), unassigned to any
team, or one team; index `hs_conv_team`. Organization: conversations whose customer
belongs to it, as `customer_id IN (that organization's customers)` (index
`hs_conv_customer`); the choices list the first organizations by name, and every
organization's admin page links here with its id, so none is out of reach.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ..models import Customer, Organization, Team
from .filters import agent_for_user

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

#: Organizations offered as choices (the rest are reached from their own page).
MAX_ORGANIZATION_CHOICES = 100


def teams_of_user(user) -> list[int]:
    """Ids of the teams the staff user's Help Scout agent is a member of."""
    agent = agent_for_user(user)
    if agent is None:
        return []
    return list(Team.objects.filter(members=agent).values_list("id", flat=True))


class TeamFilter(admin.SimpleListFilter):
    title = _("team")
    parameter_name = "team"

    def lookups(self, request, model_admin):
        choices: list[tuple[str, StrOrPromise]] = [
            ("mine", _("Assigned to my team")),
            ("none", _("Not assigned to a team")),
        ]
        choices += [(str(t.pk), str(t)) for t in Team.objects.order_by("name")]
        return choices

    def queryset(self, request, queryset):
        value = self.value()
        if value == "mine":
            return queryset.filter(assignee_team_id__in=teams_of_user(request.user))
        if value == "none":
            return queryset.filter(assignee_team__isnull=True)
        if value and value.isdigit():
            return queryset.filter(assignee_team_id=int(value))
        return queryset


class OrganizationFilter(admin.SimpleListFilter):
    title = _("organization")
    parameter_name = "organization"

    def lookups(self, request, model_admin):
        chosen = self.value()
        rows = list(
            Organization.objects.filter(is_placeholder=False)
            .order_by("name")
            .values_list("id", "name")[:MAX_ORGANIZATION_CHOICES]
        )
        if chosen and chosen.isdigit() and int(chosen) not in {pk for pk, _ in rows}:
            extra = Organization.objects.filter(pk=int(chosen)).values_list("id", "name")
            rows += list(extra)
        return [(str(pk), name or f"Organization {pk}") for pk, name in rows]

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isdigit():
            members = Customer.objects.filter(organization_id=int(value)).values("pk")
            return queryset.filter(customer_id__in=members)
        return queryset
