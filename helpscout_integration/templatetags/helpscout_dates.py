"""`|hs_date`: Django's `date` filter, for any date a mirror row may hold.

Why: a mirror may still hold a time no Help Scout object has (9999-12-31T23:59:59Z,
stored before payload times were checked; the next full sync heals it). Localized east
of UTC that is year 10000, and Django's `date` filter (like any template rendering a
datetime) raised OverflowError: a 500 for every page showing it. `|hs_date` renders what
`|date` renders, or the stored UTC value marked "impossible date". Never queries.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import template
from django.conf import settings
from django.template.defaultfilters import date as date_filter
from django.utils import formats, timezone
from django.utils.translation import gettext as _

register = template.Library()

__all__ = ["hs_date", "shown_datetime"]


def shown_datetime(value: Any, format_string: str | None = None) -> str:
    """`value` localized and formatted as Django shows it (with `format_string`, as the
    `date` filter does), or its UTC text when it cannot be localized."""
    if not isinstance(value, datetime):
        return "" if value in (None, "") else str(value)
    try:
        if settings.USE_TZ and timezone.is_aware(value):
            value = timezone.localtime(value)
        if format_string is None:
            return formats.localize(value)
        return date_filter(value, format_string)
    except (OverflowError, ValueError):
        return _("%(value)s (impossible date)") % {"value": value.isoformat()}


@register.filter(expects_localtime=False)
def hs_date(value: Any, format_string: str | None = None) -> str:
    """`{{ value|hs_date:"N j" }}`: like `|date`, and never fails on a stored date."""
    return shown_datetime(value, format_string)
