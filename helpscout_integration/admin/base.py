"""What every mirror admin shares: all fields read-only, no add, no delete.

Help Scout is the truth for mirrored objects; the admin never edits them in place.
Changes go through the actions in `actions.py`, which call Help Scout and then refresh the
mirror from its answer.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList

from .dates import shown_dates
from .queryset import PlausibleDatesQuerySet


class HonestCountChangeList(ChangeList):
    """A changelist whose "(Show all)" beside the count appears only when it does something.

    With `show_full_result_count = False` (no second COUNT over the whole table), Django
    prints "2000 results (Show all)" on every page, linking to "?": on an unfiltered list
    that link reloads the same page. Without a search or filter, the count shown is the
    whole count, so the link is left out; with one, it clears them as it should.
    """

    def get_filters(self, request):
        # Django steps a date hierarchy's year to the next one unguarded: ?..__year=9999
        # raised "year 10000 is out of range" (a 500). A bad date link is a bad lookup.
        try:
            return super().get_filters(request)
        except (ValueError, OverflowError) as exc:
            raise IncorrectLookupParameters(exc) from exc

    def get_queryset(self, request, exclude_parameters=None):
        """The list's rows, whose date hierarchy skips impossible dates (queryset.py)."""
        qs = super().get_queryset(request, exclude_parameters)
        return PlausibleDatesQuerySet.from_queryset_instance(qs)

    def get_results(self, request):
        super().get_results(request)
        if self.full_result_count is None and not self.query and not self.has_active_filters:
            self.full_result_count = self.result_count


class MirrorAdmin(admin.ModelAdmin):
    """Read-only admin for a model that mirrors Help Scout.

    `has_change_permission` is False, so Django renders the change page in view mode
    (staff need the `view_` permission) and shows no save buttons.
    """

    show_facets = admin.ShowFacets.NEVER  # facet counts scan whole tables
    list_per_page = 50

    def get_changelist(self, request, **kwargs):
        return HonestCountChangeList

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        names = [f.name for f in self.model._meta.get_fields() if f.concrete]
        return names + shown_dates(self.model, names) + list(self.readonly_fields)

    # Date fields are shown through `dates.shown_date`, which any stored value survives.
    def get_list_display(self, request):
        return shown_dates(self.model, super().get_list_display(request))

    def get_sortable_by(self, request):
        return shown_dates(self.model, super().get_sortable_by(request))

    def get_fieldsets(self, request, obj=None):
        return [
            (name, {**options, "fields": _shown_fieldset(self.model, options["fields"])})
            for name, options in super().get_fieldsets(request, obj)
        ]


def _shown_fieldset(model, fields):
    """A fieldset's `fields`, date fields replaced (one level of tuples kept)."""
    return [
        tuple(shown_dates(model, item)) if isinstance(item, list | tuple) else item
        for item in shown_dates(model, fields)
    ]


class ReadOnlyInline(admin.TabularInline):
    """An inline that lists related mirror rows without letting staff edit them."""

    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_fields(self, request, obj=None):
        return shown_dates(self.model, super().get_fields(request, obj))

    def get_readonly_fields(self, request, obj=None):
        names = list(super().get_readonly_fields(request, obj))
        return names + shown_dates(self.model, names)
