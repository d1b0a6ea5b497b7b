"""Benchmark: the conversation changelist on 1,000,000 conversations (PostgreSQL).

Fills a scratch database (default `hs_admin`) with N conversations using
`generate_series` (seconds, not minutes), then times admin pages through Django's test
client, logged in as a superuser, and prints each page's median time and its ratio to a
trivial admin page (the 5-row mailbox changelist) measured in the same run.

    .venv/bin/python benchmarks/admin.py                 # 1,000,000 conversations
    .venv/bin/python benchmarks/admin.py --rows 200000 --runs 5
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/other .venv/bin/python benchmarks/admin.py

Goal: the unfiltered changelist under 300 ms at 1M rows. The data is kept between runs
(it is refilled only when the row count differs); `--refill` forces a fresh fill.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/hs_admin")

from scratch_db import ensure_database  # noqa: E402

ensure_database(os.environ["DATABASE_URL"])
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")
os.environ["DJANGO_DEBUG"] = "false"  # no query logging: measure what production pays

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from helpscout_integration.models import Conversation  # noqa: E402

MAILBOXES, AGENTS, TAGS = 5, 50, 30

FILL_SQL = [
    """TRUNCATE helpscout_integration_conversation_tags, helpscout_integration_thread,
       helpscout_integration_satisfactionrating, helpscout_integration_conversation,
       helpscout_integration_customer, helpscout_integration_agent,
       helpscout_integration_mailbox, helpscout_integration_tag CASCADE""",
    f"""INSERT INTO helpscout_integration_mailbox
        (id, data, is_placeholder, synced_at, name, slug, email)
        SELECT i, '{{}}', false, now(), 'Mailbox ' || i, 'mb-' || i, 'mb' || i || '@example.com'
        FROM generate_series(1, {MAILBOXES}) i""",
    f"""INSERT INTO helpscout_integration_agent
        (id, data, is_placeholder, synced_at, first_name, last_name, email, role, type,
         timezone, photo_url)
        SELECT i, '{{}}', false, now(), 'Agent', i::text, 'agent' || i || '@example.com',
               'user', 'user', 'UTC', ''
        FROM generate_series(1, {AGENTS}) i""",
    f"""INSERT INTO helpscout_integration_tag
        (id, data, is_placeholder, synced_at, name, slug, color)
        SELECT i, '{{}}', false, now(), 'tag-' || i, 'tag-' || i, '#336699'
        FROM generate_series(1, {TAGS}) i""",
    """INSERT INTO helpscout_integration_customer
        (id, data, is_placeholder, synced_at, first_name, last_name, email, emails, phones,
         organization_name, job_title, location, photo_url, background, properties, is_deleted)
        SELECT i, '{}', false, now(), 'First' || i, 'Last' || i, 'c' || i || '@example.com',
               '[]', '[]', '', '', '', '', '', '{}', false
        FROM generate_series(1, __CUSTOMERS__) i""",
    f"""INSERT INTO helpscout_integration_conversation
        (id, data, is_placeholder, synced_at, number, mailbox_id, subject, status, state,
         type, customer_id, assignee_id, preview, thread_count, source_type, source_via,
         custom_fields, created_at, updated_at, hs_updated_at, is_deleted)
        SELECT i, '{{}}', false, now(), 100000 + i, 1 + i % {MAILBOXES},
               'Question ' || i || ' about billing and accounts',
               (ARRAY['active','pending','closed','closed','closed','spam'])[1 + i % 6],
               'published', 'email', 1 + i % __CUSTOMERS__,
               CASE WHEN i % 4 = 0 THEN NULL ELSE 1 + i % {AGENTS} END,
               'Preview of conversation ' || i, 3, 'email', 'customer', '[]',
               now() - (i * interval '47 seconds') - interval '1 hour',
               now() - (i * interval '47 seconds'),
               now() - (i * interval '47 seconds'), false
        FROM generate_series(1, __ROWS__) i""",
    f"""INSERT INTO helpscout_integration_conversation_tags (conversation_id, tag_id)
        SELECT i, 1 + i % {TAGS} FROM generate_series(1, __ROWS__) i
        UNION ALL
        SELECT i, 1 + (i / 3) % {TAGS} FROM generate_series(3, __ROWS__, 3) i
        WHERE 1 + (i / 3) % {TAGS} <> 1 + i % {TAGS}""",
    "ANALYZE",
]


def fill(rows: int) -> None:
    customers = max(rows // 5, 1)
    with connection.cursor() as cursor:
        for sql in FILL_SQL:
            cursor.execute(
                sql.replace("__ROWS__", str(rows)).replace("__CUSTOMERS__", str(customers))
            )


def timed(client: Client, url: str, runs: int) -> tuple[float, int]:
    """Median milliseconds over `runs` GETs (after one warm-up), and the query count."""
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    return statistics.median(samples), len(ctx.captured_queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--refill", action="store_true")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("This benchmark needs PostgreSQL (set DATABASE_URL).")

    call_command("migrate", verbosity=0)
    existing = Conversation.objects.count()
    if args.refill or existing != args.rows:
        start = time.perf_counter()
        fill(args.rows)
        print(f"filled {args.rows:,} conversations in {time.perf_counter() - start:.1f} s")
    else:
        print(f"reusing {existing:,} conversations already in the database")

    User = get_user_model()
    user, _ = User.objects.get_or_create(
        username="bench-admin", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client()
    client.force_login(user)

    base = "/admin/helpscout_integration/conversation/"
    pages = [
        ("trivial: mailbox changelist (5 rows)", "/admin/helpscout_integration/mailbox/"),
        ("conversation changelist", base),
        ("  page 200", base + "?p=200"),
        ("  status=active", base + "?status__exact=active"),
        ("  mailbox=2", base + "?mailbox__id__exact=2"),
        ("  assignee=7", base + "?assignee=7"),
        ("  unassigned", base + "?assignee=none"),
        ("  tag=5", base + "?tag=5"),
        ("  date hierarchy: this year", base + f"?updated_at__year={time.gmtime().tm_year}"),
        ("  search by number", base + "?q=%23100042"),
        ("  search subject (common word)", base + "?q=billing"),
        ("  search customer email (rare)", base + "?q=c4242%40example.com"),
        ("  search a word nobody wrote", base + "?q=xylophone"),
        ("conversation change page", base + "42/change/"),
        ("overview", "/admin/helpscout_integration/syncstate/overview/"),
    ]
    results = [(label, *timed(client, url, args.runs)) for label, url in pages]
    trivial = results[0][1]
    print(f"\n{'page':40} {'median ms':>10} {'x trivial':>10} {'queries':>8}")
    for label, ms, queries in results:
        print(f"{label:40} {ms:10.1f} {ms / trivial:10.1f} {queries:8d}")
    changelist = results[1][1]
    verdict = "OK" if changelist < 300 else "SLOW"
    print(
        f"\nchangelist on {args.rows:,} rows: {changelist:.0f} ms "
        f"(goal < 300 ms: {verdict}), {changelist / trivial:.1f}x the trivial page"
    )


if __name__ == "__main__":
    main()
