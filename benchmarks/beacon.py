"""Beacon tag benchmark: what `{% helpscout_beacon %}` adds to a page render, warm.

Prints, in one run (median of N rounds of M renders each, Django's locmem cache warm,
50 suggestion rules in a scratch SQLite database, a signed-in user in secure mode):

(a) the tag alone vs a static template that outputs the same bytes (the tag's own cost:
    identity, HMAC signature, rule matching, JSON escaping);
(b) a typical page (the demo's home page, about 3 KB) rendering the tag vs the same page
    with the tag's output pasted in as static text. Goal: (b) <= 1.2x.
It also checks that warm renders run zero queries.

Usage: python benchmarks/beacon.py [--rounds 7] [--renders 2000]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")
os.environ["DATABASE_URL"] = "sqlite://:memory:"
os.environ["CACHE_URL"] = "locmemcache://"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.template import Context, Template, engines  # noqa: E402
from django.test import RequestFactory  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from helpscout_integration.models import (  # noqa: E402
    BeaconSuggestion,
    BeaconSuggestionArticle,
    DocsArticle,
)

GOAL = 1.2


def seed_rules(count: int = 50) -> None:
    articles = [
        DocsArticle(id=f"{i:024x}", name=f"Article {i}", status="published") for i in range(200)
    ]
    DocsArticle.objects.bulk_create(articles)
    for i in range(count):
        pattern = [f"/section{i}/*", f"/page{i}/", rf"re:^/item{i}/\d+/$"][i % 3]
        rule = BeaconSuggestion.objects.create(name=f"rule {i}", path_pattern=pattern, priority=i)
        BeaconSuggestionArticle.objects.bulk_create(
            BeaconSuggestionArticle(suggestion=rule, article=articles[(i + k) % 200], position=k)
            for k in range(3)
        )


def make_request():
    request = RequestFactory().get("/section40/invoices/")  # matches a prefix rule, late
    request.user = User(
        username="ada", first_name="Ada", last_name="Lovelace", email="ada@example.com"
    )
    return request


def compare(render_a, render_b, renders: int, rounds: int) -> tuple[float, float, float]:
    """Best microseconds per render of A and of B, and the median per-round ratio A/B.

    A and B alternate within each round so both see the same machine load (other jobs on
    the same cores make absolute numbers noisy; the ratio of neighbours is stable).
    """
    a_samples, b_samples, ratios = [], [], []
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(renders):
            render_a()
        a = (time.perf_counter() - start) / renders * 1e6
        start = time.perf_counter()
        for _ in range(renders):
            render_b()
        b = (time.perf_counter() - start) / renders * 1e6
        a_samples.append(a)
        b_samples.append(b)
        ratios.append(a / b)
    return min(a_samples), min(b_samples), statistics.median(ratios)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--renders", type=int, default=2000)
    args = parser.parse_args()

    settings.DEBUG = False
    call_command("migrate", verbosity=0)
    seed_rules()
    request = make_request()

    tag = Template("{% load helpscout %}{% helpscout_beacon %}")
    tag_output = tag.render(Context({"request": request}))  # warms the rule cache
    static = Template(tag_output)  # the same bytes, no tag (the output has no {% or {{)
    assert static.render(Context({"request": request})) == tag_output
    with CaptureQueriesContext(connection) as queries:
        tag.render(Context({"request": request}))

    # The demo's home page, and the same page with the tag's output pasted in statically.
    django_engine = engines["django"]
    page = django_engine.get_template("home.html")
    context = {"request": request, "user": request.user, "beacon_subject": "Question"}
    page_html = page.render(context, request)
    beacon_html = Template(
        "{% load helpscout %}{% helpscout_beacon prefill_subject=beacon_subject %}"
    ).render(Context(context))
    static_page = django_engine.from_string(
        '{% extends "home.html" %}{% block beacon %}' + beacon_html + "{% endblock %}"
    )
    # Same bytes but for the CSRF token, which is masked afresh on every render.
    assert len(static_page.render(context, request)) == len(page_html)

    tag_us, static_us, tag_ratio = compare(
        lambda: tag.render(Context({"request": request})),
        lambda: static.render(Context({"request": request})),
        args.renders,
        args.rounds,
    )
    page_us, static_page_us, page_ratio = compare(
        lambda: page.render(context, request),
        lambda: static_page.render(context, request),
        args.renders // 4,
        args.rounds,
    )

    print(f"warm render, 50 rules, secure mode, tag output {len(tag_output)} bytes")
    print(f"queries per warm render: {len(queries.captured_queries)}")
    print(
        f"(a) tag alone:     {tag_us:7.1f} us   static same bytes: {static_us:6.1f} us   "
        f"ratio {tag_ratio:5.2f}x (the tag's own work: {tag_us - static_us:.1f} us)"
    )
    print(
        f"(b) page with tag: {page_us:7.1f} us   static page:       {static_page_us:6.1f} us   "
        f"ratio {page_ratio:5.2f}x (page {len(page_html)} bytes; goal <= {GOAL}x)"
    )
    return 0 if page_ratio <= GOAL and not queries.captured_queries else 1


if __name__ == "__main__":
    raise SystemExit(main())
