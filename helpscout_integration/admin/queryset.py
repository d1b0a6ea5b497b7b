"""A QuerySet whose `datetimes()` answers the admin's date hierarchy from the index.

Django's date hierarchy asks `SELECT DISTINCT date_trunc(...)` over the whole filtered
changelist, and `MIN()`/`MAX()` of it: full scans on a million conversations once a
filter joins another table. Here both ends come from `ORDER BY field LIMIT 1` (an index
walk that stops at the first match) and each candidate year, month or day is probed the
same way, so the cost depends on the span of dates shown, never on the row count.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone


def _truncate(value: dt.datetime, kind: str) -> dt.datetime:
    if kind == "year":
        return value.replace(month=1, day=1, hour=0, minute=0, second=0, microsecond=0)
    if kind == "month":
        return value.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    return value.replace(hour=0, minute=0, second=0, microsecond=0)


def _next(value: dt.datetime, kind: str) -> dt.datetime:
    if kind == "year":
        return value.replace(year=value.year + 1)
    if kind == "month":
        return value.replace(year=value.year + value.month // 12, month=value.month % 12 + 1)
    return value + dt.timedelta(days=1)


class IndexedDatesQuerySet(models.QuerySet):
    @classmethod
    def from_queryset_instance(cls, queryset: models.QuerySet) -> IndexedDatesQuerySet:
        clone = queryset._chain()
        clone.__class__ = cls
        return clone

    def _edge(self, field_name: str, *, last: bool):
        """The smallest (or largest) non-null value of a field, walking its index."""
        ordering = models.F(field_name).desc() if last else models.F(field_name).asc()
        return (
            self.filter(**{f"{field_name}__isnull": False})
            .order_by(ordering)
            .values_list(field_name, flat=True)
            .first()
        )

    def aggregate(self, *args, **kwargs):
        """MIN/MAX of one plain field (what the date hierarchy asks) through the index."""
        simple = (
            not args
            and kwargs
            and all(
                type(agg) in (models.Min, models.Max)
                and agg.filter is None
                and len(agg.source_expressions) == 1
                and isinstance(agg.source_expressions[0], models.F)
                for agg in kwargs.values()
            )
        )
        if not simple:
            return super().aggregate(*args, **kwargs)
        return {
            name: self._edge(agg.source_expressions[0].name, last=isinstance(agg, models.Max))
            for name, agg in kwargs.items()
        }

    def datetimes(self, field_name, kind, order="ASC", tzinfo=None):
        if kind not in ("year", "month", "day"):
            return super().datetimes(field_name, kind, order, tzinfo)
        first = self._edge(field_name, last=False)
        last = self._edge(field_name, last=True)
        if first is None or last is None:
            return []
        tz = tzinfo or (timezone.get_current_timezone() if settings.USE_TZ else None)
        if tz is not None:
            first, last = first.astimezone(tz), last.astimezone(tz)
        found = []
        start = _truncate(first.replace(tzinfo=None), kind)
        stop = last.replace(tzinfo=None)
        while start <= stop:
            end = _next(start, kind)
            lo, hi = start, end
            if tz is not None:
                lo, hi = timezone.make_aware(start, tz), timezone.make_aware(end, tz)
            window = self.filter(**{f"{field_name}__gte": lo, f"{field_name}__lt": hi})
            if window._edge(field_name, last=False) is not None:
                found.append(lo)
            start = end
        return found if order == "ASC" else found[::-1]
