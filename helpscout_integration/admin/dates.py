"""Dates in the admin's lists and pages, shown for any value a row may hold.

Why: Django localizes a datetime before showing it, and a mirror may still hold a time no
Help Scout object has (9999-12-31T23:59:59Z, stored before payload times were checked;
the next full sync heals it). In a time zone east of UTC that becomes year 10000 and the
page answered 500. Each date field of a mirror admin is shown through `shown_date`: the
usual localized text, or the stored UTC value marked "impossible date" when it cannot be
localized (templates use the `|hs_date` filter for the same). Never queries; never
changes a row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from django.contrib import admin
from django.db import models

from ..templatetags.helpscout_dates import shown_datetime

__all__ = ["format_datetime", "shown_date", "shown_dates"]

# One display function per (model, field): list_display and sortable_by must hold the
# same object for Django to match them.
_DISPLAYS: dict[tuple[type[models.Model], str], Callable[[Any], str]] = {}


def format_datetime(value: datetime | None) -> str:
    """`value` as Django shows it, or its UTC text when it cannot be localized."""
    if value is None:
        return "-"
    return shown_datetime(value)


def shown_date(model: type[models.Model], name: Any) -> Any:
    """`name` unchanged, or for a DateTimeField of `model` a display function of it."""
    if not isinstance(name, str):
        return name
    try:
        field = model._meta.get_field(name)
    except Exception:  # not a field: a method or attribute name, left to Django
        return name
    if not isinstance(field, models.DateTimeField):
        return name
    key = (model, name)
    if key not in _DISPLAYS:

        @admin.display(description=field.verbose_name, ordering=name)
        def display(obj: Any) -> str:
            return format_datetime(getattr(obj, name))

        display.__name__ = name
        _DISPLAYS[key] = display
    return _DISPLAYS[key]


def shown_dates(model: type[models.Model], names: Iterable[Any]) -> list[Any]:
    return [shown_date(model, name) for name in names]
