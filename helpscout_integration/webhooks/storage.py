"""The one statement a delivery costs: an INSERT of a new `WebhookEvent`, or a repeat count.

Why one statement: the webhook view's goal is to cost at most 1.5x a bare one-INSERT
view (benchmarks/webhooks.py), and `Model.save()` spent about as many instructions
compiling its INSERT (signals, field walk, SQL compiler) as the rest of the view
together. Here the statement is built once per database and reused; values still go
through each field's own `pre_save` / `get_db_prep_save`, so they are adapted exactly as
the ORM would adapt them (auto_now_add, JSON, bytes, time zones).

Why repeats are counted, not stored: the same signed bytes can be delivered again and
again (Help Scout retrying a delivery whose answer it did not get, or anyone replaying a
captured one); each would be a new row of up to `WEBHOOK_MAX_BODY_BYTES`. A delivery's
`delivery_key` (its event name and bytes, hashed) is unique, and the INSERT becomes
`ON CONFLICT (delivery_key) DO UPDATE`: a repeat adds one to `deliveries` and moves
`last_delivered_at` on the first row, atomically, with no race between two repeats.

A repeat of an event that `failed` makes it `received` again (one more attempt) when
the previous delivery is at least `REOPEN_AFTER` old: a genuine redelivery gets its
event processed, a replay loop gets at most one attempt a minute. Backends without
`INSERT ... ON CONFLICT ... RETURNING` (PostgreSQL and SQLite 3.35+ have it) use the
ORM in a savepoint instead.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, connections, router, transaction
from django.db.models import Case, F, Value, When
from django.utils import timezone

from ..models import WebhookEvent, WebhookEventStatus
from .handlers import HANDLERS

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper
    from django.db.models import Field

__all__ = ["REOPEN_AFTER", "Delivery", "delivery_key", "insert_event", "record_delivery"]

REOPEN_AFTER = timedelta(minutes=1)
"""A repeat of a failed event reopens it only this long after the previous delivery."""

# Event names the app knows; the bytes of a delivery under any other name share one key,
# so replaying one body under made-up names cannot add rows without bound.
_KNOWN_EVENTS = frozenset({*HANDLERS, "helpscout.test", "convo.ai-answers.created"})
_UNKNOWN_EVENT = "\0unknown"


def delivery_key(event_type: str, body: bytes) -> str:
    """The key two deliveries share when they are the same delivery (hex SHA-256)."""
    name = event_type if event_type in _KNOWN_EVENTS else _UNKNOWN_EVENT
    return hashlib.sha256(name.encode() + b"\0" + bytes(body)).hexdigest()


@dataclass(frozen=True)
class Delivery:
    """What recording a delivery did: the row's id, its delivery count and its status."""

    pk: int
    deliveries: int
    status: str

    @property
    def repeat(self) -> bool:
        return self.deliveries > 1


@cache
def _fields() -> tuple[Field[Any, Any], ...]:
    return tuple(f for f in WebhookEvent._meta.concrete_fields if not f.primary_key)


def _quote(alias: str) -> Callable[[str], str]:
    return connections[alias].ops.quote_name


def _column(field: Field[Any, Any] | None) -> str:
    """A concrete field's column name (Django allows None only for fields with no column,
    which `_fields()` and the primary key never are)."""
    if field is None or field.column is None:
        raise TypeError(f"{field!r} of WebhookEvent has no database column.")
    return field.column


@cache
def _insert(alias: str) -> str:
    quote = _quote(alias)
    columns = ", ".join(quote(_column(f)) for f in _fields())
    marks = ", ".join(["%s"] * len(_fields()))
    table = quote(WebhookEvent._meta.db_table)
    pk = quote(_column(WebhookEvent._meta.pk))
    # Identifiers come from the model's metadata, quoted; values are parameters.
    return f"INSERT INTO {table} ({columns}) VALUES ({marks}) RETURNING {pk}"  # noqa: S608


@cache
def _upsert(alias: str) -> str:
    """INSERT, or on a repeat: count it, and reopen a failed event older than the cutoff.

    The one extra parameter is the cutoff (NULL: never reopen)."""
    quote = _quote(alias)
    table = quote(WebhookEvent._meta.db_table)

    columns = {f.name: _column(f) for f in _fields()}

    def col(name: str) -> str:
        return quote(columns[name])

    status, last = col("status"), col("last_delivered_at")
    failed, received = WebhookEventStatus.FAILED.value, WebhookEventStatus.RECEIVED.value
    insert = _insert(alias).rsplit(" RETURNING ", 1)[0]
    return (
        f"{insert} ON CONFLICT ({col('delivery_key')}) DO UPDATE SET "
        f"{col('deliveries')} = {table}.{col('deliveries')} + 1, "
        f"{last} = excluded.{last}, "
        f"{status} = CASE WHEN {table}.{status} = '{failed}' AND {table}.{last} < %s "
        f"THEN '{received}' ELSE {table}.{status} END "
        f"RETURNING {quote(_column(WebhookEvent._meta.pk))}, {col('deliveries')}, {status}"
    )


def _returns_ids(connection: BaseDatabaseWrapper) -> bool:
    return bool(connection.features.can_return_columns_from_insert)


def _supports_upsert(connection: BaseDatabaseWrapper) -> bool:
    return connection.vendor in ("postgresql", "sqlite") and _returns_ids(connection)


def _prepare(event: WebhookEvent, now: datetime) -> None:
    body = bytes(event.body or b"")
    if not event.body_sha256:
        event.body_sha256 = WebhookEvent.digest(event.event_type, body)
    if event.delivery_key is None:
        # For a known event name the key is the same hash as `body_sha256`: reuse it
        # rather than hash up to a MiB twice.
        known = event.event_type in _KNOWN_EVENTS
        event.delivery_key = event.body_sha256 if known else delivery_key(event.event_type, body)
    event.last_delivered_at = now


def record_delivery(event: WebhookEvent, *, reopen: bool = True) -> Delivery:
    """Insert `event` (not saved yet), or count it as a repeat of the row with its key.

    `reopen=False` never reopens a failed event (for a delivery that failed at the door
    and will fail again). Sets `event.pk` to the row's id either way.
    """
    alias = router.db_for_write(WebhookEvent, instance=event)
    connection = connections[alias]
    now = timezone.now()
    _prepare(event, now)
    cutoff = now - REOPEN_AFTER if reopen else None
    if not _supports_upsert(connection):
        return _record_with_orm(event, alias, cutoff)
    params = [f.get_db_prep_save(f.pre_save(event, add=True), connection) for f in _fields()]
    params.append(connection.ops.adapt_datetimefield_value(cutoff))
    with connection.cursor() as cursor:
        cursor.execute(_upsert(alias), params)
        pk, deliveries, status = cursor.fetchone()
    event.pk = pk
    event._state.adding = False
    event._state.db = alias
    return Delivery(pk=pk, deliveries=deliveries, status=status)


def _record_with_orm(event: WebhookEvent, alias: str, cutoff: datetime | None) -> Delivery:
    try:
        with transaction.atomic(using=alias):
            event.save(using=alias)
        return Delivery(pk=event.pk, deliveries=1, status=event.status)
    except IntegrityError:
        pass  # a repeat: count it on the first row
    rows = WebhookEvent.objects.using(alias).filter(delivery_key=event.delivery_key)
    reopen = (
        When(
            status=WebhookEventStatus.FAILED,
            last_delivered_at__lt=cutoff,
            then=Value(WebhookEventStatus.RECEIVED),
        )
        if cutoff is not None
        else None
    )
    changes: dict[str, object] = {
        "deliveries": F("deliveries") + 1,
        "last_delivered_at": event.last_delivered_at,
    }
    if reopen is not None:
        changes["status"] = Case(reopen, default=F("status"))
    rows.update(**changes)
    pk, deliveries, status = rows.values_list("pk", "deliveries", "status").get()
    event.pk = pk
    event._state.adding = False
    event._state.db = alias
    return Delivery(pk=pk, deliveries=deliveries, status=status)


def insert_event(event: WebhookEvent) -> WebhookEvent:
    """Insert `event` (not saved yet) as a new row and set its pk; returns it.

    No repeat counting: for rows that are not deliveries (imports, tests)."""
    alias = router.db_for_write(WebhookEvent, instance=event)
    connection = connections[alias]
    if not _returns_ids(connection):
        event.save(using=alias)
        return event
    if not event.body_sha256:
        event.body_sha256 = WebhookEvent.digest(event.event_type, bytes(event.body or b""))
    params = [f.get_db_prep_save(f.pre_save(event, add=True), connection) for f in _fields()]
    with connection.cursor() as cursor:
        cursor.execute(_insert(alias), params)
        event.pk = cursor.fetchone()[0]
    event._state.adding = False
    event._state.db = alias
    return event
