"""The conversation changelist's cost does not grow with the number of rows."""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from helpscout_integration.admin.paginator import EstimatedCountPaginator
from helpscout_integration.models import Conversation, Customer, Tag

pytestmark = pytest.mark.django_db

URL = "admin:helpscout_integration_conversation_changelist"


class _DateHierarchyLinks(HTMLParser):
    """The links of the changelist's date hierarchy (the `toplinks` nav), whatever its markup."""

    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []
        self._depth = 0  # > 0 while inside the hierarchy's nav

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "nav" and "toplinks" in (attributes.get("class") or "").split():
            self._depth = 1
        elif tag == "nav" and self._depth:
            self._depth += 1
        elif tag == "a" and self._depth:
            self.hrefs.append(attributes.get("href") or "")

    def handle_endtag(self, tag):
        if tag == "nav" and self._depth:
            self._depth -= 1


def date_hierarchy_links(client, params) -> str:
    parser = _DateHierarchyLinks()
    parser.feed(client.get(reverse(URL), params).content.decode())
    assert parser.hrefs, "the page shows a date hierarchy"
    return " ".join(parser.hrefs)


def _fill(mirror, n):
    tags = [mirror.tag, Tag.objects.get_or_create(id=4, defaults={"name": "vip"})[0]]
    for i in range(n):
        customer = Customer.objects.create(id=5_000 + i, email=f"c{i}@example.com")
        # Same date span whatever n, so the date hierarchy probes the same periods.
        mirror.conversation(customer=customer, tags=tags, offset_minutes=(i % 5) * 60 * 24)


def _queries(client, params=None):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse(URL), params or {})
    assert response.status_code == 200
    return len(ctx.captured_queries), response


@pytest.mark.parametrize(
    "params", [{}, {"status__exact": "active"}, {"tag": "3"}, {"updated_at__year": "2026"}]
)
def test_query_count_is_constant(admin_client, mirror, params):
    _fill(mirror, 5)
    _queries(admin_client, params)  # warm caches (content types, session)
    small, _ = _queries(admin_client, params)
    for i in range(55):
        customer = Customer.objects.create(id=9_000 + i, email=f"d{i}@example.com")
        mirror.conversation(customer=customer, tags=[mirror.tag], offset_minutes=(i % 5) * 1440)
    large, response = _queries(admin_client, params)
    assert Conversation.objects.count() == 60
    assert large == small, f"{small} queries for 5 rows, {large} for 60"
    assert "60 conversations" in response.content.decode() or params


def test_no_full_count_and_tags_prefetched(admin_client, mirror):
    _fill(mirror, 3)
    _, response = _queries(admin_client)
    cl = response.context["cl"]
    assert cl.model_admin.show_full_result_count is False
    assert isinstance(cl.paginator, EstimatedCountPaginator)
    page = response.content.decode()
    assert "vip" in page and "billing" in page


def test_paginator_is_exact_off_postgresql_or_for_small_tables(mirror):
    _fill(mirror, 3)
    paginator = EstimatedCountPaginator(Conversation.objects.order_by("pk"), 2)
    assert paginator.count == 3 and paginator.is_estimate is False


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_class estimate is PostgreSQL's")
def test_paginator_uses_the_planner_estimate_on_large_postgresql_tables(mirror, monkeypatch):
    _fill(mirror, 30)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE helpscout_integration_conversation")
    monkeypatch.setattr(EstimatedCountPaginator, "exact_limit", 10)
    unfiltered = EstimatedCountPaginator(Conversation.objects.order_by("pk"), 5)
    assert unfiltered.count == 30 and unfiltered.is_estimate
    filtered = EstimatedCountPaginator(Conversation.objects.filter(status="active"), 5)
    assert filtered.count >= 11 and filtered.is_estimate
    small = EstimatedCountPaginator(Conversation.objects.filter(pk__lt=10_003), 5)
    assert small.is_estimate is False


def test_date_hierarchy_lists_only_periods_with_conversations(admin_client, mirror):
    mirror.conversation(subject="march", offset_minutes=0)
    mirror.conversation(subject="may", updated_at=dt.datetime(2026, 5, 10, tzinfo=dt.UTC))
    hierarchy = date_hierarchy_links(admin_client, {"updated_at__year": "2026"})
    assert "updated_at__month=3" in hierarchy and "updated_at__month=5" in hierarchy
    assert "updated_at__month=4" not in hierarchy


def test_change_page_query_count_does_not_grow_with_threads(admin_client, mirror):
    def page_queries(n_threads):
        conv = mirror.conversation(
            threads=[{"type": "customer", "body": f"<p>{i}</p>"} for i in range(n_threads)]
        )
        url = reverse("admin:helpscout_integration_conversation_change", args=[conv.pk])
        with CaptureQueriesContext(connection) as ctx:
            assert admin_client.get(url).status_code == 200
        return len(ctx.captured_queries)

    page_queries(1)  # warm caches (content types, session)
    assert page_queries(2) == page_queries(40)


@pytest.mark.parametrize("small_result", [1_000, 1], ids=["read-once", "index-walk"])
def test_date_hierarchy_both_strategies_agree(admin_client, mirror, monkeypatch, small_result):
    from helpscout_integration.admin import queryset

    monkeypatch.setattr(queryset, "SMALL_RESULT", small_result)
    for when in (
        dt.datetime(2025, 11, 3, tzinfo=dt.UTC),
        dt.datetime(2026, 1, 9, tzinfo=dt.UTC),
        dt.datetime(2026, 1, 20, tzinfo=dt.UTC),
        dt.datetime(2026, 4, 2, tzinfo=dt.UTC),
    ):
        mirror.conversation(updated_at=when)  # fmt: skip

    def links(params):
        return date_hierarchy_links(admin_client, params)

    years = links({})
    assert "updated_at__year=2025" in years and "updated_at__year=2026" in years
    assert "updated_at__year=2024" not in years
    months = links({"updated_at__year": "2026"})
    assert "updated_at__month=1" in months and "updated_at__month=4" in months
    assert "updated_at__month=2" not in months and "updated_at__month=3" not in months
    days = links({"updated_at__year": "2026", "updated_at__month": "1"})
    assert "updated_at__day=9" in days and "updated_at__day=20" in days
    assert "updated_at__day=10" not in days
