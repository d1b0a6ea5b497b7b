"""A changelist paginator that does not count a million rows on every page.

On PostgreSQL an unfiltered changelist takes the planner's row estimate from
`pg_class.reltuples` (kept fresh by autovacuum/ANALYZE) once the table is large; a
filtered one counts at most `exact_limit + 1` rows and falls back to the planner's
estimate beyond that. Small tables and other databases get Django's exact count. It never
changes which rows a page shows, only the total printed under the list.
"""

from __future__ import annotations

import json

from django.core.paginator import Paginator
from django.db import connections
from django.utils.functional import cached_property

EXACT_LIMIT = 1_000


def count_rows(queryset, exact_limit: int = EXACT_LIMIT) -> tuple[int, bool]:
    """(count, is_estimate) for `queryset`: exact when small or off PostgreSQL."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return queryset.count(), False
    if not queryset.query.where and not queryset.query.distinct:
        estimate = _table_estimate(queryset, connection)
        if estimate > exact_limit:
            return estimate, True
        return queryset.count(), False
    if hasattr(queryset, "capped_count"):  # IndexedDatesQuerySet: one read for both
        capped = queryset.capped_count(exact_limit)
    else:
        capped = queryset.order_by()[: exact_limit + 1].count()
    if capped <= exact_limit:
        return capped, False
    return max(_plan_estimate(queryset, connection), capped), True


def _table_estimate(queryset, connection) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
            [queryset.model._meta.db_table],
        )
        row = cursor.fetchone()
    return int(row[0]) if row and row[0] and row[0] > 0 else 0


def _plan_estimate(queryset, connection) -> int:
    sql, params = queryset.order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)  # noqa: S608 (ORM-built SQL)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


class EstimatedCountPaginator(Paginator):
    """Paginator whose `count` is exact for small results and estimated for large ones.

    `is_estimate` tells templates to print "about N".
    """

    exact_limit = EXACT_LIMIT

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.is_estimate = False

    @cached_property
    def count(self) -> int:
        count, self.is_estimate = count_rows(self.object_list, self.exact_limit)
        return count
