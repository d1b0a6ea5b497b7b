"""Fill a PostgreSQL mirror with a million conversations in seconds, for benchmarks/sync.py (g).

Rows are generated server side (`INSERT ... SELECT ... FROM generate_series`), with every
column the models need: the columns are read from the models, so a column added later is
filled too (with its type's empty value unless given here). Ids start at `FIRST_ID`, far
above any id the sandbox serves, so the pages replayed afterwards never collide with them.
"""

from __future__ import annotations

import time

#: First id of the generated conversations; threads and customers get ids above their own
#: offsets. The sandbox numbers its objects from 1.
FIRST_ID = 10**10
THREAD_FIRST_ID = 10**11
CUSTOMER_FIRST_ID = 10**10

#: About the size of a seeded conversation's and thread's raw JSON and body (a 25-item
#: page of the sandbox is ~160 KB), so the tables and indexes weigh what a real mirror's do.
CONVERSATION_JSON = "repeat('x', 600)"
THREAD_BODY = "repeat('y', 500)"


def _empty_value(field) -> str:
    from django.db import models

    if field.null:
        return "NULL"
    if isinstance(field, models.JSONField):
        return "'[]'::jsonb" if field.default is list else "'{}'::jsonb"
    if isinstance(field, models.BooleanField):
        return "false"
    if isinstance(field, models.DateTimeField):
        return "now()"
    if isinstance(field, models.CharField | models.TextField):
        return "''"
    return "0"


def _fill(cursor, model, count: int, values: dict[str, str]) -> None:
    """Insert `count` rows of `model`, `g` being 0..count-1; `values` gives SQL per column."""
    meta = model._meta
    columns, expressions = [], []
    for field in meta.concrete_fields:
        columns.append(f'"{field.column}"')
        expressions.append(values.get(field.column) or _empty_value(field))
    # Identifiers come from the models; the only number is an int.
    cursor.execute(
        f'INSERT INTO "{meta.db_table}" ({", ".join(columns)}) '  # noqa: S608
        f"SELECT {', '.join(expressions)} FROM generate_series(0, {int(count) - 1}) AS s(g)"
    )


def fill_mirror(
    conversations: int, *, threads_per_conversation: int, customers: int, tag_id: int | None
) -> dict:
    """Fill the mirror (PostgreSQL) as a sync of that many conversations would leave it:
    customers, conversations (one tag each), their threads; then ANALYZE. Returns timings.

    `synced_at` is set a day ahead: these rows count as seen by the run that follows, so
    its deletion sweep queries them all and confirms none (the replay has nothing to
    answer a confirmation with; the sweep is timed on its own).
    """
    from django.db import connection, transaction

    from helpscout_integration.models import Conversation, Customer, Thread

    started = time.perf_counter()
    seen = "now() + interval '1 day'"
    modified = "timestamptz '2020-01-01' + g * interval '1 minute'"
    with transaction.atomic(), connection.cursor() as cursor:
        _fill(
            cursor,
            Customer,
            customers,
            {
                "id": f"{CUSTOMER_FIRST_ID} + g",
                "first_name": "'Prefilled'",
                "email": "'c' || g || '@example.com'",
                "emails": "jsonb_build_array('c' || g || '@example.com')",
                "hs_updated_at": modified,
                "synced_at": seen,
            },
        )
        _fill(
            cursor,
            Conversation,
            conversations,
            {
                "id": f"{FIRST_ID} + g",
                "number": f"{FIRST_ID} + g",
                "data": f"jsonb_build_object('id', {FIRST_ID} + g, 'raw', {CONVERSATION_JSON})",
                "subject": "'Prefilled conversation ' || g",
                "status": "(ARRAY['active','pending','closed','closed','spam'])[1 + g % 5]",
                "type": "'email'",
                "customer_id": f"{CUSTOMER_FIRST_ID} + g % {max(customers, 1)}"
                if customers
                else "NULL",
                "thread_count": str(threads_per_conversation),
                "created_at": modified,
                "updated_at": modified,
                "hs_updated_at": modified,
                "synced_at": seen,
            },
        )
        if threads_per_conversation:
            _fill(
                cursor,
                Thread,
                conversations * threads_per_conversation,
                {
                    "id": f"{THREAD_FIRST_ID} + g",
                    "conversation_id": f"{FIRST_ID} + g / {threads_per_conversation}",
                    "type": "'customer'",
                    "body": THREAD_BODY,
                    "created_at": modified,
                    "hs_updated_at": modified,
                    "synced_at": seen,
                },
            )
        if tag_id is not None:
            through = Conversation.tags.through._meta.db_table
            cursor.execute(
                f'INSERT INTO "{through}" (conversation_id, tag_id) '  # noqa: S608
                f"SELECT {FIRST_ID} + g, %s FROM generate_series(0, {int(conversations) - 1}) "
                "AS s(g)",
                [tag_id],
            )
    filled = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {
        "fill_seconds": round(filled, 1),
        "analyze_seconds": round(time.perf_counter() - started - filled, 1),
    }
