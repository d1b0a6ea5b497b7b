"""A QuerySet whose `datetimes()` answers the admin's date hierarchy from the index.

Django's date hierarchy asks `SELECT DISTINCT date_trunc(...)` over the whole filtered
changelist, and `MIN()`/`MAX()` of it: full scans on a million conversations once a
filter joins another table. Here both ends come from `ORDER BY field LIMIT 1` (an index
walk that stops at the first match) and each candidate year, month or day is probed the
same way, so the cost depends on the span of dates shown, never on the row count. A small
result (a search, a narrow filter) is read once, capped, and answered in Python.

Every date hierarchy here also leaves out dates more than a day ahead of now
(`PlausibleDatesQuerySet`): a mirror may still hold one from before payload times were
checked (9999-12-31), and Django's hierarchy would localize it or step to the year after
it and answer 500 ("year 10000 is out of range"). Rows keep their dates; only the
hierarchy's links skip them.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone

from ..payloads import FUTURE_LIMIT


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


# Up to this many rows, the date hierarchy is computed in Python from one capped read;
# index walks only pay off on large results.
SMALL_RESULT = 1_000


def horizon() -> dt.datetime:
    """The latest date a date hierarchy shows: later ones are no Help Scout time."""
    return timezone.now() + FUTURE_LIMIT


def _min_max_fields(args, kwargs) -> set[str] | None:
    """The fields of an `aggregate()` made only of MIN/MAX of plain fields, else None."""
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
        return None
    return {agg.source_expressions[0].name for agg in kwargs.values()}


class PlausibleDatesQuerySet(models.QuerySet):
    """A changelist QuerySet whose date hierarchy reads (MIN/MAX of one field, `dates`,
    `datetimes`) skip dates more than a day ahead of now."""

    @classmethod
    def from_queryset_instance(cls, queryset: models.QuerySet):
        # _chain() is the clone Django's own QuerySet methods use; django-stubs omits it.
        clone = queryset._chain()  # type: ignore[attr-defined]
        clone.__class__ = cls
        return clone

    def _plausible(self, field_name: str) -> models.QuerySet:
        return models.QuerySet.filter(self, **{f"{field_name}__lte": horizon()})

    def aggregate(self, *args, **kwargs):
        names = _min_max_fields(args, kwargs)
        if names is None or len(names) != 1:
            return super().aggregate(*args, **kwargs)
        return models.QuerySet.aggregate(self._plausible(names.pop()), **kwargs)

    def dates(self, field_name, kind, order="ASC"):
        return models.QuerySet.dates(self._plausible(field_name), field_name, kind, order)

    def datetimes(self, field_name, kind, order="ASC", tzinfo=None):
        return models.QuerySet.datetimes(
            self._plausible(field_name), field_name, kind, order, tzinfo
        )


class IndexedDatesQuerySet(PlausibleDatesQuerySet):
    def capped_count(self, limit: int, field_name: str = "updated_at") -> int:
        """min(count, limit + 1), sharing the date hierarchy's capped read when it can."""
        if limit == SMALL_RESULT:
            values = self._small_values(field_name)
            return SMALL_RESULT + 1 if values is None else len(values)
        return self.order_by()[: limit + 1].count()

    def _small_values(self, field_name: str) -> list | None:
        """Every value of `field_name` when the result has at most SMALL_RESULT rows.

        One capped read, cached on this queryset; None for a large result. Small results
        (a search, a narrow filter) are answered in Python from these values: walking the
        `updated_at` index is fast only when matches are common, and a rare match would
        make it read the whole index, several times.
        """
        cache = self.__dict__.setdefault("_hs_values", {})
        if field_name not in cache:
            values = list(self.order_by().values_list(field_name, flat=True)[: SMALL_RESULT + 1])
            cache[field_name] = values if len(values) <= SMALL_RESULT else None
        return cache[field_name]

    def _edge(self, field_name: str, *, last: bool):
        """The smallest (or largest) plausible value of a field, walking its index."""
        ordering = models.F(field_name).desc() if last else models.F(field_name).asc()
        return (
            self.filter(**{f"{field_name}__isnull": False, f"{field_name}__lte": horizon()})
            .order_by(ordering)
            .values_list(field_name, flat=True)
            .first()
        )

    def aggregate(self, *args, **kwargs):
        """MIN/MAX of one plain field (what the date hierarchy asks) through the index."""
        if _min_max_fields(args, kwargs) is None:
            return models.QuerySet.aggregate(self, *args, **kwargs)
        result = {}
        limit = horizon()
        for name, agg in kwargs.items():
            values = self._small_values(agg.source_expressions[0].name)
            if values is None:
                break
            present = [v for v in values if v is not None and v <= limit]
            pick = max if isinstance(agg, models.Max) else min
            result[name] = pick(present) if present else None
        else:
            return result
        return {
            name: self._edge(agg.source_expressions[0].name, last=isinstance(agg, models.Max))
            for name, agg in kwargs.items()
        }

    def datetimes(self, field_name, kind, order="ASC", tzinfo=None):
        if kind not in ("year", "month", "day"):
            return super().datetimes(field_name, kind, order, tzinfo)  # bounded there
        tz = tzinfo or (timezone.get_current_timezone() if settings.USE_TZ else None)
        values = self._small_values(field_name)
        if values is not None:
            found = set()
            limit = horizon()
            for value in values:
                if value is None or value > limit:
                    continue
                local = value.astimezone(tz).replace(tzinfo=None) if tz is not None else value
                start = _truncate(local, kind)
                found.add(timezone.make_aware(start, tz) if tz is not None else start)
            return sorted(found, reverse=order != "ASC")
        first = self._edge(field_name, last=False)
        last = self._edge(field_name, last=True)
        if first is None or last is None:
            return []
        if tz is not None:
            first, last = first.astimezone(tz), last.astimezone(tz)
        walked: list[dt.datetime] = []
        start = _truncate(first.replace(tzinfo=None), kind)
        stop = last.replace(tzinfo=None)
        while start <= stop:
            end = _next(start, kind)
            lo, hi = start, end
            if tz is not None:
                lo, hi = timezone.make_aware(start, tz), timezone.make_aware(end, tz)
            window = self.filter(**{f"{field_name}__gte": lo, f"{field_name}__lt": hi})
            if window._edge(field_name, last=False) is not None:
                walked.append(lo)
            start = end
        return walked if order == "ASC" else walked[::-1]
