"""Bulk INSERT ... ON CONFLICT for the mirror writer, without the ORM's per-value overhead.

`QuerySet.bulk_create(update_conflicts=True)` spends most of a sync page preparing each
value through the field machinery (several microseconds per value, ~3,600 values a
page). On SQLite and PostgreSQL, which both speak `INSERT ... ON CONFLICT`, this module
adapts values with one precomputed function per column and hands all rows to the driver:
`executemany` on SQLite, one array per column to `unnest` on PostgreSQL. Any other
database falls back to `bulk_create`. It knows nothing about Help Scout and never decides
*what* to write, only how.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from datetime import UTC
from functools import cache
from typing import Any

from django.conf import settings
from django.db import connections, models, router
from django.utils import timezone

_NATIVE = ("sqlite", "postgresql")


def _on_conflict(model, update, quote) -> str:
    """`ON CONFLICT (pk)`: update the `update` columns from the new row, or do nothing."""
    pk = quote(model._meta.pk.column)
    if not update:
        return f"ON CONFLICT ({pk}) DO NOTHING"
    columns = [quote(model._meta.get_field(name).column) for name in update]
    sets = ", ".join(f"{column} = excluded.{column}" for column in columns)
    return f"ON CONFLICT ({pk}) DO UPDATE SET {sets}"


def _adapter(field: models.Field, connection) -> Callable[[Any], Any] | None:
    if isinstance(field, models.JSONField):
        if field.encoder is None:
            return _json_text
        ops, encoder = connection.ops, field.encoder

        def adapt_json(value):
            return None if value is None else ops.adapt_json_value(value, encoder)

        return adapt_json
    if isinstance(field, models.DateTimeField):
        if connection.vendor == "sqlite" and settings.USE_TZ:
            return _sqlite_datetime
        return connection.ops.adapt_datetimefield_value
    if isinstance(field, models.DateField):
        return connection.ops.adapt_datefield_value
    return None  # str, int, bool, None: the driver takes them as they are


@cache
def _statement(
    model, alias: str, vendor: str, columns: tuple[str, ...], update: tuple[str, ...], rows: int
):
    """The INSERT of `rows` rows with VALUES placeholders."""
    connection = connections[alias]
    quote = connection.ops.quote_name
    fields = [model._meta.get_field(name) for name in columns]
    table = quote(model._meta.db_table)
    cols = ", ".join(quote(f.column) for f in fields)
    values = ", ".join(["(" + ", ".join(["%s"] * len(fields)) + ")"] * rows)
    conflict = _on_conflict(model, update, quote)
    # Identifiers come from the model's own metadata, quoted; values are parameters.
    sql = f"INSERT INTO {table} ({cols}) VALUES {values} {conflict}"  # noqa: S608
    return sql


@cache
def _adapters(model, alias: str, columns: tuple[str, ...]) -> list:
    connection = connections[alias]
    if connection.vendor == "postgresql":  # JSON travels as text, cast to jsonb in SQL
        return [
            _json_text if isinstance(model._meta.get_field(name), models.JSONField) else None
            for name in columns
        ]
    return [_adapter(model._meta.get_field(name), connection) for name in columns]


def _json_text(value):
    if not value and isinstance(value, list | dict):
        return "[]" if isinstance(value, list) else "{}"  # most list columns are empty
    return json.dumps(value)


def _sqlite_datetime(value):
    """What Django's SQLite backend stores for an aware datetime (naive UTC text), faster."""
    if isinstance(value, str):
        return value
    if value.tzinfo is not UTC:
        value = value.astimezone(UTC)
    return str(value.replace(tzinfo=None))


@cache
def _unnest_statement(model, alias: str, columns: tuple[str, ...], update: tuple[str, ...]):
    connection = connections[alias]
    quote = connection.ops.quote_name
    fields = [model._meta.get_field(name) for name in columns]
    arrays, selects = [], []
    for field in fields:
        db_type = field.db_type(connection) or "text"
        if isinstance(field, models.JSONField):
            arrays.append("%b::text[]")
            selects.append(f"{quote(field.column)}::jsonb")
        else:
            base = "text" if db_type.startswith(("varchar", "char")) else db_type
            arrays.append(f"%b::{base}[]")
            selects.append(quote(field.column))
    cols = ", ".join(quote(f.column) for f in fields)
    conflict = _on_conflict(model, update, quote)
    return (
        f"INSERT INTO {quote(model._meta.db_table)} ({cols}) "  # noqa: S608 (identifiers)
        f"SELECT {', '.join(selects)} FROM unnest({', '.join(arrays)}) AS u({cols}) "
        f"{conflict}"
    )


@cache
def _defaults(model) -> dict[str, Any]:
    """Column defaults for rows that do not give every column (placeholders)."""
    return {f.attname: f.get_default() for f in model._meta.concrete_fields if not f.primary_key}


@cache
def _auto_now_fields(model) -> tuple[str, ...]:
    return tuple(
        f.attname
        for f in model._meta.concrete_fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    )


def upsert_rows(
    model: type[models.Model],
    rows: Sequence[dict],
    *,
    update: Sequence[str] | None,
) -> None:
    """Insert `rows` (dicts of attnames incl. the pk; missing columns take the field
    default); on an existing pk update the `update` columns (those given in the rows when
    None), or leave the row alone when `update` is empty. `auto_now` fields are set to now.
    """
    if not rows:
        return
    alias = router.db_for_write(model)
    connection = connections[alias]
    now = timezone.now()
    stamped = _auto_now_fields(model)
    defaults = _defaults(model)
    pk = model._meta.pk.attname
    columns = (pk, *defaults)
    if update is None:
        given = [c for c in rows[0] if c != pk]
        update_cols = tuple(dict.fromkeys([*given, *stamped]))
    else:
        update_cols = tuple(dict.fromkeys([*update, *(s for s in stamped if update)]))
    if connection.vendor not in _NATIVE:
        objs = [model(**{**row, **dict.fromkeys(stamped, now)}) for row in rows]
        if update_cols:
            model._default_manager.using(alias).bulk_create(
                objs, update_conflicts=True, unique_fields=[pk], update_fields=list(update_cols)
            )
        else:
            model._default_manager.using(alias).bulk_create(objs, ignore_conflicts=True)
        return
    adapters = _adapters(model, alias, columns)
    params = []
    for row in rows:
        values = []
        for name, adapt in zip(columns, adapters, strict=True):
            if name in stamped:
                value = now
            elif name in row:
                value = row[name]
            else:
                value = defaults[name]
            values.append(adapt(value) if adapt is not None and value is not None else value)
        params.append(values)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            # sqlite3's executemany loops in C with no round trips: the fastest path.
            sql = _statement(model, alias, "sqlite", columns, update_cols, 1)
            cursor.executemany(sql, params)
            return
    # PostgreSQL: one statement whose parameters are one array per column, unnested
    # server side: a short SQL text and one round trip whatever the number of rows.
    sql = _unnest_statement(model, alias, columns, update_cols)
    _execute_binary(connection, sql, [list(column) for column in zip(*params, strict=True)])


def _execute_binary(connection, sql: str, arrays: list[list]) -> None:
    """Run `sql` with server-side binding and binary array parameters (`%b`).

    Django's PostgreSQL cursors bind client side, quoting every array element through a
    regular expression; binary parameters skip that. The statement is still recorded in
    `connection.queries_log` when Django logs queries (DEBUG, CaptureQueriesContext).
    """
    import psycopg

    connection.ensure_connection()
    started = time.monotonic()
    with psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(sql, arrays)
    if connection.queries_logged:
        connection.queries_log.append({"sql": sql, "time": f"{time.monotonic() - started:.3f}"})


def insert_links(through: type[models.Model], left: str, right: str, pairs: list[tuple]) -> None:
    """Insert M2M through-rows `(left, right)`, ignoring pairs that exist (unique together)."""
    if not pairs:
        return
    alias = router.db_for_write(through)
    connection = connections[alias]
    if connection.vendor not in _NATIVE:
        through._default_manager.using(alias).bulk_create(
            [through(**{left: a, right: b}) for a, b in pairs], ignore_conflicts=True
        )
        return
    quote = connection.ops.quote_name
    meta = through._meta
    cols = f"{quote(meta.get_field(left).column)}, {quote(meta.get_field(right).column)}"
    table = quote(meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.executemany(
                f"INSERT INTO {table} ({cols}) VALUES (%s, %s) ON CONFLICT DO NOTHING",  # noqa: S608
                pairs,
            )
        else:
            values = ", ".join(["(%s, %s)"] * len(pairs))
            cursor.execute(
                f"INSERT INTO {table} ({cols}) VALUES {values} ON CONFLICT DO NOTHING",  # noqa: S608
                [value for pair in pairs for value in pair],
            )
