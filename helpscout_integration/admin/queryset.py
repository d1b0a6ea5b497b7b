"""A QuerySet whose `datetimes()` answers the admin's date hierarchy from the index.

Django's date hierarchy asks `SELECT DISTINCT date_trunc(...)` over the whole filtered
changelist, a full scan on a million conversations. Here the range comes from MIN/MAX
(two index ends) and each candidate year, month or day is probed with an indexed
`EXISTS`, so the cost depends on the span of dates shown, never on the row count.
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

    def datetimes(self, field_name, kind, order="ASC", tzinfo=None):
        if kind not in ("year", "month", "day"):
            return super().datetimes(field_name, kind, order, tzinfo)
        base = self.order_by()
        bounds = base.aggregate(first=models.Min(field_name), last=models.Max(field_name))
        first, last = bounds["first"], bounds["last"]
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
            if base.filter(**{f"{field_name}__gte": lo, f"{field_name}__lt": hi}).exists():
                found.append(lo)
            start = end
        return found if order == "ASC" else found[::-1]
