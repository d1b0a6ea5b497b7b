"""`|hs_date`: what Django's `|date` renders, and never a 500 for a stored date."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template import Context, Template

FAR_FUTURE = dt.datetime(9999, 12, 31, 23, 59, 59, tzinfo=dt.UTC)
ORDINARY = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)


def render(source: str, value) -> str:
    return Template("{% load helpscout_dates %}" + source).render(Context({"value": value}))


@pytest.mark.parametrize("zone", ["UTC", "Europe/Paris", "America/New_York"])
@pytest.mark.parametrize("fmt", ["c", "j M Y", "DATETIME_FORMAT"])
def test_an_ordinary_date_renders_as_the_date_filter_does(settings, zone, fmt):
    settings.TIME_ZONE = zone
    assert render(f'{{{{ value|hs_date:"{fmt}" }}}}', ORDINARY) == render(
        f'{{{{ value|date:"{fmt}" }}}}', ORDINARY
    )


def test_a_date_that_cannot_be_localized_is_shown_as_stored(settings):
    settings.TIME_ZONE = "Europe/Paris"
    with pytest.raises(OverflowError):
        render('{{ value|date:"j M Y" }}', FAR_FUTURE)
    shown = render('{{ value|hs_date:"j M Y" }}', FAR_FUTURE)
    assert shown == "9999-12-31T23:59:59+00:00 (impossible date)"


def test_nothing_renders_nothing():
    assert render("{{ value|hs_date:'c' }}", None) == ""
