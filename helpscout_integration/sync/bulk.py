"""Bulk INSERT ... ON CONFLICT for the mirror writer, without the ORM's per-value overhead.

`QuerySet.bulk_create(update_conflicts=True)` spends most of a sync page preparing each
value through the field machinery (several microseconds per value, ~3,600 values a
page). On SQLite and PostgreSQL, which both speak `INSERT ... ON CONFLICT`, this module
adapts values with one precomputed function per column and hands all rows to the driver:
`executemany` on SQLite, one array per column to `unnest` on PostgreSQL. Any other
database falls back to `bulk_create`. It knows nothing about Help Scout and never decides
*what* to write, only how.

JSON columns are serialised with orjson (several times faster than the standard library
on the raw payloads every row keeps), falling back to `json` for what orjson refuses
(integers beyond 64 bits).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC
from functools import cache
from typing import TYPE_CHECKING, Any

import orjson
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, models, router
from django.utils import timezone

if TYPE_CHECKING:
    from django.db.models.options import Options

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
def _statement(model, alias: str, columns: tuple[str, ...], update: tuple[str, ...], absent: bool):
    """The one-row INSERT that `executemany` repeats on SQLite; a plain INSERT for rows
    known to be absent (see `upsert_rows`)."""
    connection = connections[alias]
    quote = connection.ops.quote_name
    fields = [_field(model._meta, name) for name in columns]
    table = quote(model._meta.db_table)
    cols = ", ".join(quote(_column(f)) for f in fields)
    values = "(" + ", ".join(["%s"] * len(fields)) + ")"
    conflict = "" if absent else " " + _on_conflict(model, update, quote)
    # Identifiers come from the model's own metadata, quoted; values are parameters.
    return f"INSERT INTO {table} ({cols}) VALUES {values}{conflict}"  # noqa: S608


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
    try:
        # Payloads parsed from JSON only have string keys: the plain call is the fast one.
        return orjson.dumps(value).decode()
    except TypeError:  # orjson.JSONEncodeError: keys that are not strings, huge integers
        pass
    try:
        return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()
    except TypeError:  # e.g. an integer beyond 64 bits
        return json.dumps(value)


def _sqlite_datetime(value):
    """What Django's SQLite backend stores for an aware datetime (naive UTC text), faster."""
    if value.tzinfo is not UTC:
        value = value.astimezone(UTC)
    # Naive UTC as Django writes it (str() of the naive datetime); %-formatting is about
    # twice as fast as isoformat() and a page converts some 450 datetimes.
    text = "%04d-%02d-%02d %02d:%02d:%02d" % (  # noqa: UP031
        value.year,
        value.month,
        value.day,
        value.hour,
        value.minute,
        value.second,
    )
    return f"{text}.{value.microsecond:06d}" if value.microsecond else text


def _field(meta: Options[Any], name: str) -> models.Field[Any, Any]:
    """A field that is a column by name: rows written here never name a reverse relation."""
    field = meta.get_field(name)
    if not isinstance(field, models.Field):
        raise TypeError(f"{meta.label}.{name} is a reverse relation, not a column.")
    return field


def _column(field: models.Field[Any, Any] | None) -> str:
    """A field's column name (Django allows None only for fields with no column)."""
    if field is None or field.column is None:
        raise TypeError(f"{field!r} has no database column.")
    return field.column


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
            selects.append(f"{quote(_column(field))}::jsonb")
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
def _max_lengths(model) -> dict[str, int]:
    return {
        f.attname: f.max_length
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField) and f.max_length
    }


def _clipped(column: list, limit: int) -> list:
    """Strings cut to the column's length: PostgreSQL refuses longer ones, SQLite would
    keep them. Checked for the whole column at once (in C), as nearly none are too long."""
    try:
        fits = max(map(len, column), default=0) <= limit
    except TypeError:  # a None (or a number) in the column: look at each value
        fits = False
    return column if fits else [_clip(value, limit) for value in column]


def _clip(value, limit: int):
    return value[:limit] if isinstance(value, str) and len(value) > limit else value


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
    absent: bool = False,
) -> None:
    """Insert `rows` (dicts of attnames incl. the pk; missing columns take the field
    default); on an existing pk update the `update` columns (those given in the rows when
    None), or leave the row alone when `update` is empty. `auto_now` fields are set to now.

    `absent=True` says the open transaction read these pks and found no rows. On SQLite,
    where one writer at a time holds the database and a transaction cannot write on a
    stale read (it fails with SQLITE_BUSY instead), they are then inserted without
    `ON CONFLICT`: an upsert's update branch makes SQLite keep a statement journal for
    every row on tables with foreign keys, which costs more than the row itself. On
    PostgreSQL another transaction may have inserted them since: `ON CONFLICT` stays.
    """
    if not rows:
        return
    alias = router.db_for_write(model)
    connection = connections[alias]
    if connection.vendor not in _NATIVE:
        _upsert_with_orm(model, alias, rows, update)
        return
    columns, update_cols, values_by_column = _column_values(model, alias, rows, update)
    if connection.vendor == "sqlite":
        # sqlite3's executemany loops in C with no round trips: the fastest path.
        sql = _statement(model, alias, columns, update_cols, absent)
        with connection.cursor() as cursor:
            cursor.executemany(sql, list(zip(*values_by_column, strict=True)))
        return
    # PostgreSQL: one statement whose parameters are one array per column, unnested
    # server side: a short SQL text and one round trip whatever the number of rows.
    _execute_binary(
        connection, _unnest_statement(model, alias, columns, update_cols), values_by_column
    )


def upsert_many(batches: Sequence[tuple[type[models.Model], Sequence[dict]]], *, update) -> None:
    """`upsert_rows` for several models, in one round trip where that is possible.

    On PostgreSQL the inserts go as one statement of data-modifying CTEs (each runs once,
    to completion, whether or not anything reads it): the writer's placeholder rows for
    four or five tables cost one round trip instead of one each. Elsewhere, or when the
    models live in different databases, they run one after the other.
    """
    batches = [(model, rows) for model, rows in batches if rows]
    aliases = {router.db_for_write(model) for model, _ in batches}
    alias = aliases.pop() if len(aliases) == 1 else None
    if len(batches) < 2 or alias is None or connections[alias].vendor != "postgresql":
        for model, rows in batches:
            upsert_rows(model, rows, update=update)
        return
    ctes, params = [], []
    for index, (model, rows) in enumerate(batches):
        columns, update_cols, values_by_column = _column_values(model, alias, rows, update)
        ctes.append(f"w{index} AS ({_unnest_statement(model, alias, columns, update_cols)})")
        params.extend(values_by_column)
    _execute_binary(connections[alias], f"WITH {', '.join(ctes)} SELECT 1", params)


def _upsert_with_orm(model, alias: str, rows: Sequence[dict], update) -> None:
    """Databases without `INSERT ... ON CONFLICT` support here: Django's bulk_create."""
    now = timezone.now()
    stamped = _auto_now_fields(model)
    pk = model._meta.pk.attname
    update_cols = _update_columns(model, rows, update)
    limits = _max_lengths(model)
    objs = []
    for row in rows:
        values = {**row, **dict.fromkeys(stamped, now)}
        for name in limits.keys() & values.keys():
            values[name] = _clip(values[name], limits[name])
        objs.append(model(**values))
    if update_cols:
        model._default_manager.using(alias).bulk_create(
            objs, update_conflicts=True, unique_fields=[pk], update_fields=list(update_cols)
        )
    else:
        model._default_manager.using(alias).bulk_create(objs, ignore_conflicts=True)


def _update_columns(model, rows: Sequence[dict], update) -> tuple[str, ...]:
    stamped = _auto_now_fields(model)
    if update is None:
        pk = model._meta.pk.attname
        given = [c for c in rows[0] if c != pk]
        return tuple(dict.fromkeys([*given, *stamped]))
    return tuple(dict.fromkeys([*update, *(s for s in stamped if update)]))


def _column_values(model, alias: str, rows: Sequence[dict], update):
    """(columns, update columns, one list of adapted values per column) for `rows`.

    Values are prepared a column at a time: one adapter per column over a list, the
    `auto_now` value adapted once, no per-value branching on the column's kind; strings
    are clipped to their column's `max_length`.
    """
    now = timezone.now()
    stamped = _auto_now_fields(model)
    defaults = _defaults(model)
    max_lengths = _max_lengths(model)
    columns = (model._meta.pk.attname, *defaults)
    values_by_column = []
    converted: dict[int, str] = {}  # datetime object id -> its text, for this call
    for name, adapt in zip(columns, _adapters(model, alias, columns), strict=True):
        if name in stamped:
            values_by_column.append([now if adapt is None else adapt(now)] * len(rows))
            continue
        default = defaults.get(name)  # the pk has none: every row gives it
        column = [row.get(name, default) for row in rows]
        if name in max_lengths:
            column = _clipped(column, max_lengths[name])
        if adapt is _sqlite_datetime:
            column = _datetimes_as_text(column, converted)
        elif adapt is not None:
            column = [None if value is None else adapt(value) for value in column]
        values_by_column.append(column)
    return columns, _update_columns(model, rows, update), values_by_column


def _datetimes_as_text(column: list, converted: dict[int, str]) -> list:
    """SQLite text of each datetime (None and text as they are), each object converted
    once per call: the same object often fills several columns (a thread without
    `updatedAt` is as new as its creation: its hs_updated_at is its created_at). Ids are
    safe keys while the rows are alive."""
    out = []
    for value in column:
        if value is None or isinstance(value, str):
            out.append(value)
            continue
        text = converted.get(id(value))
        if text is None:
            text = converted[id(value)] = _sqlite_datetime(value)
        out.append(text)
    return out


def _execute_binary(connection, sql: str, arrays: list[list], *, fetch: bool = False):
    """Run `sql` with server-side binding and binary array parameters (`%b`); return its
    rows when `fetch`.

    Django's PostgreSQL cursors bind client side, quoting every array element through a
    regular expression; binary parameters skip that. The statement is still recorded in
    `connection.queries_log` when Django logs queries (DEBUG, CaptureQueriesContext).
    Inside `pipelined()` a statement that is not fetched is only sent: its outcome (and
    any error) arrives with the next statement that is.
    """
    import psycopg

    connection.ensure_connection()
    started = time.monotonic()
    # Driver errors become Django's (IntegrityError, DataError...), as from any cursor.
    with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(sql, arrays)
        rows = cursor.fetchall() if fetch else None
    if connection.queries_logged:
        connection.queries_log.append({"sql": sql, "time": f"{time.monotonic() - started:.3f}"})
    return rows


@contextmanager
def pipelined(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Let the writes of the block run on the server while Python goes on (PostgreSQL).

    Outside this block every statement is a round trip: Python waits while PostgreSQL
    inserts a page's rows (most of a sync page's time there), and PostgreSQL waits while
    Python parses the next page. In psycopg's pipeline mode a write is sent and not waited
    for; the next read (the next page's lookups) collects it. So the server works on one
    page while Python prepares the next, on two cores. Nothing changes for what the block
    reads (a read waits for the writes before it, in order), nor for atomicity: the block
    runs inside the caller's transaction, and a write that failed raises at the next read
    or at the end of the block, which the transaction then rolls back. Elsewhere (SQLite,
    a libpq without pipeline support) the block runs as it is.
    """
    connection = connections[using]
    if connection.vendor != "postgresql":
        yield
        return
    import psycopg

    if not psycopg.Pipeline.is_supported():
        yield
        return
    connection.ensure_connection()
    with connection.wrap_database_errors, connection.connection.pipeline():
        yield


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
    cols = f"{quote(_column(_field(meta, left)))}, {quote(_column(_field(meta, right)))}"
    table = quote(meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.executemany(
                f"INSERT INTO {table} ({cols}) VALUES (%s, %s) ON CONFLICT DO NOTHING",  # noqa: S608
                pairs,
            )
            return
    # PostgreSQL: two arrays unnested server side (no client-side binding of 2N values).
    lefts, rights = (list(side) for side in zip(*pairs, strict=True))
    _execute_binary(
        connection,
        f"INSERT INTO {table} ({cols}) SELECT * FROM unnest(%b::bigint[], %b::bigint[]) "  # noqa: S608
        "ON CONFLICT DO NOTHING",
        [lefts, rights],
    )


def values_where_in(
    model: type[models.Model], column: str, keys: Sequence[int], fields: Sequence[str]
) -> list[tuple]:
    """`fields` of the rows whose integer `column` is one of `keys`, in one query, each
    value converted as the ORM would (datetimes, booleans, JSON).

    What `filter(column__in=keys).values_list(*fields)` returns, without building and
    compiling a queryset on every call (about 0.5 ms each on a slow machine, three
    times a sync page). Keys go as one array parameter on PostgreSQL (`= ANY`) instead
    of one bound value each, and straight to sqlite3 on SQLite.
    """
    if not keys:
        return []
    alias = router.db_for_read(model)
    connection = connections[alias]
    if connection.vendor not in _NATIVE:
        return list(
            model._default_manager.using(alias)
            .filter(**{f"{column}__in": list(keys)})
            .values_list(*fields)
        )
    sql, converters = _select_where_in(model, alias, column, tuple(fields))
    if connection.vendor == "postgresql":
        rows = _execute_binary(connection, sql, [list(keys)], fetch=True)
    else:
        with connection.cursor() as cursor:
            cursor.execute(sql % ", ".join(["%s"] * len(keys)), list(keys))
            rows = cursor.fetchall()
    if not converters:
        return rows
    rows = [list(row) for row in rows]
    for index, expression, functions in converters:
        for row in rows:
            value = row[index]
            for convert in functions:
                value = convert(value, expression, connection)
            row[index] = value
    return [tuple(row) for row in rows]


@cache
def _select_where_in(model, alias: str, column: str, fields: tuple[str, ...]):
    """The SELECT for `values_where_in`, and the ORM's converters of each selected column
    (`(index, column expression, functions)` for the columns that have any), found the
    way the compiler finds them. They are called with the connection of the calling
    thread, not kept with one."""
    connection = connections[alias]
    quote = connection.ops.quote_name
    meta = model._meta
    table = quote(meta.db_table)
    selected = ", ".join(quote(meta.get_field(name).column) for name in fields)
    where = quote(meta.get_field(column).column)
    if connection.vendor == "postgresql":
        condition = f"{where} = ANY(%b::bigint[])"
    else:
        condition = f"{where} IN (%s)"  # the caller puts one mark per key there
    converters = []
    for index, name in enumerate(fields):
        expression = meta.get_field(name).get_col(meta.db_table)
        found = connection.ops.get_db_converters(expression) + expression.get_db_converters(
            connection
        )
        if found:
            converters.append((index, expression, tuple(found)))
    sql = f"SELECT {selected} FROM {table} WHERE {condition}"  # noqa: S608 (identifiers)
    return sql, converters


def update_where_in(model: type[models.Model], keys: Sequence[int], values: dict) -> None:
    """`model.objects.filter(pk__in=keys).update(**values)` without a queryset (see
    `values_where_in`); values are prepared by their fields, as the ORM would."""
    if not keys:
        return
    alias = router.db_for_write(model)
    connection = connections[alias]
    meta = model._meta
    if connection.vendor not in _NATIVE:
        model._default_manager.using(alias).filter(pk__in=list(keys)).update(**values)
        return
    quote = connection.ops.quote_name
    fields = [_field(meta, name) for name in values]
    sets = ", ".join(f"{quote(_column(field))} = %s" for field in fields)
    params = [
        field.get_db_prep_save(value, connection)
        for field, value in zip(fields, values.values(), strict=True)
    ]
    table, pk = quote(meta.db_table), quote(_column(meta.pk))
    if connection.vendor == "postgresql":  # keys as one array; only sent in a pipeline
        sets = sets.replace("%s", "%b")
        sql = f"UPDATE {table} SET {sets} WHERE {pk} = ANY(%b::bigint[])"  # noqa: S608
        _execute_binary(connection, sql, [*params, list(keys)])
        return
    marks = ", ".join(["%s"] * len(keys))
    sql = f"UPDATE {table} SET {sets} WHERE {pk} IN ({marks})"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *keys])


def asynchronous_commit(using: str = DEFAULT_DB_ALIAS) -> None:
    """Let the open transaction commit without waiting for its WAL to reach disk.

    For sync page groups only: their rows and the cursor that says they are done commit
    together, so if PostgreSQL crashes before flushing (it loses at most the last few
    hundred milliseconds of such commits, never consistency) both are lost together and
    the next run fetches those pages again. The commit then costs no fsync wait.
    `SET LOCAL` ends with the transaction; other transactions (webhook events, admin
    actions) keep the server's setting. SQLite has no per-transaction equivalent (its
    `synchronous` pragma is the host's choice, in DATABASES OPTIONS); nothing is done there.
    Nor when the open transaction is not the outermost: inside a caller's own transaction
    the setting would cover the caller's writes too.
    """
    connection = connections[using]
    if connection.vendor == "postgresql" and len(connection.atomic_blocks) == 1:
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
