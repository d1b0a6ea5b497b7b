"""Dates in the admin's lists and pages, shown for any value a row may hold.

Why: Django localizes a datetime before showing it, and a mirror may still hold a time no
Help Scout object has (9999-12-31T23:59:59Z, stored before payload times were checked;
the next full sync heals it). In a time zone east of UTC that becomes year 10000 and the
page answered 500. Each date field of a mirror admin is shown through `shown_date`: the
usual localized text, or the stored UTC value marked "impossible" when it cannot be
localized. Never queries; never changes a row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib import admin
from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext as _

__all__ = ["format_datetime", "shown_date", "shown_dates"]

# One display function per (model, field): list_display and sortable_by must hold the
# same object for Django to match them.
_DISPLAYS: dict[tuple[type[models.Model], str], Callable[[Any], str]] = {}


def format_datetime(value: datetime | None) -> str:
    """`value` as Django shows it, or its UTC text when it cannot be localized."""
    if value is None:
        return "-"
    try:
        if settings.USE_TZ and timezone.is_aware(value):
            value = timezone.localtime(value)  # what Django's templates show
        return formats.localize(value)
    except (OverflowError, ValueError):
        return _("%(value)s (impossible date)") % {"value": value.isoformat()}


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
