"""No admin page answers 500 because of a stored date (issue 27).

Before payload times were refused, a signed body with `userUpdatedAt: 9999-12-31T23:59:59Z`
could be stored, and the conversation changelist's date hierarchy then failed for every
staff user ("year 10000 is out of range"). Such rows may still be in a mirror until the
next full sync heals them: the pages must render meanwhile.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from helpscout_integration.models import Customer, Thread

pytestmark = pytest.mark.django_db

FAR_FUTURE = dt.datetime(9999, 12, 31, 23, 59, 59, tzinfo=dt.UTC)
CHANGELIST = "admin:helpscout_integration_conversation_changelist"


@pytest.fixture
def frozen(mirror):
    mirror.conversation(subject="Normal")
    conversation = mirror.conversation(
        subject="Frozen in the future", updated_at=FAR_FUTURE, created_at=FAR_FUTURE
    )
    Thread.objects.create(
        id=990001, conversation=conversation, type="customer", body="<p>From the future</p>",
        created_at=FAR_FUTURE, hs_updated_at=FAR_FUTURE,
    )  # fmt: skip
    Customer.objects.filter(pk=mirror.customer.pk).update(
        updated_at=FAR_FUTURE, created_at=FAR_FUTURE, hs_updated_at=FAR_FUTURE
    )
    return conversation


@pytest.mark.parametrize("zone", ["UTC", "Europe/Paris", "America/New_York"])
def test_the_changelist_renders_with_a_date_in_year_9999(admin_client, frozen, settings, zone):
    settings.TIME_ZONE = zone
    response = admin_client.get(reverse(CHANGELIST))
    assert response.status_code == 200
    assert b"Frozen in the future" in response.content
    if zone == "Europe/Paris":  # cannot be localized: shown as stored, marked
        assert b"9999-12-31T23:59:59+00:00 (impossible date)" in response.content


@pytest.mark.parametrize(
    "query",
    [
        "updated_at__year=9999",
        "updated_at__year=9999&updated_at__month=12",
        "updated_at__year=2026",
    ],
)
def test_drilling_into_the_hierarchy_never_fails(admin_client, frozen, query):
    response = admin_client.get(reverse(CHANGELIST) + "?" + query)
    assert response.status_code in (200, 302)


def test_a_large_changelist_with_a_year_9999_date_renders(admin_client, frozen, monkeypatch):
    """Large results walk the index year by year instead of reading every date."""
    from helpscout_integration.admin import queryset

    monkeypatch.setattr(queryset, "SMALL_RESULT", 1)
    response = admin_client.get(reverse(CHANGELIST))
    assert response.status_code == 200


@pytest.mark.parametrize("zone", ["UTC", "Europe/Paris"])
def test_the_change_page_renders(admin_client, frozen, settings, zone):
    settings.TIME_ZONE = zone
    url = reverse("admin:helpscout_integration_conversation_change", args=[frozen.pk])
    response = admin_client.get(url)
    assert response.status_code == 200
    assert b"Frozen in the future" in response.content


@pytest.mark.parametrize("zone", ["UTC", "Europe/Paris"])
@pytest.mark.parametrize(
    "page",
    [
        ("admin:helpscout_integration_customer_changelist", False),
        ("admin:helpscout_integration_customer_change", True),
        ("admin:helpscout_integration_overview", False),
        ("admin:helpscout_integration_conversation_sidebar_preview", "conversation"),
    ],
)
def test_other_pages_showing_those_dates_render(admin_client, frozen, settings, zone, page):
    settings.TIME_ZONE = zone
    name, needs = page
    args = []
    if needs is True:
        args = [frozen.customer_id]
    elif needs == "conversation":
        args = [frozen.pk]
    assert admin_client.get(reverse(name, args=args)).status_code == 200
