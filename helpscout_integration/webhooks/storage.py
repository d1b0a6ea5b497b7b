"""The one INSERT a delivery costs: a new `WebhookEvent` row, written without `Model.save`.

Why: the webhook view's goal is to cost at most 1.5x a bare one-INSERT view
(benchmarks/webhooks.py), and `Model.save()` spent about as many instructions compiling
its INSERT (signals, field walk, SQL compiler) as the rest of the view together. Here
the statement is built once per database and reused; values still go through each
field's own `pre_save` / `get_db_prep_save`, so they are adapted exactly as the ORM
would adapt them (auto_now_add, JSON, bytes, time zones). Backends that cannot return
the new id from an INSERT fall back to `save()`.
"""

from __future__ import annotations

from functools import cache

from django.db import connections, router

from ..models import WebhookEvent

__all__ = ["insert_event"]


@cache
def _fields() -> tuple:
    return tuple(f for f in WebhookEvent._meta.concrete_fields if not f.primary_key)


@cache
def _statement(alias: str) -> str:
    connection = connections[alias]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in _fields())
    marks = ", ".join(["%s"] * len(_fields()))
    table = quote(WebhookEvent._meta.db_table)
    pk = quote(WebhookEvent._meta.pk.column)
    # Identifiers come from the model's metadata, quoted; values are parameters.
    return f"INSERT INTO {table} ({columns}) VALUES ({marks}) RETURNING {pk}"  # noqa: S608


def _returns_ids(connection) -> bool:
    return connection.features.can_return_columns_from_insert


def insert_event(event: WebhookEvent) -> WebhookEvent:
    """Insert `event` (not saved yet) as a new row and set its pk; returns it."""
    alias = router.db_for_write(WebhookEvent, instance=event)
    connection = connections[alias]
    if not _returns_ids(connection):
        event.save(using=alias)
        return event
    if not event.body_sha256:
        event.body_sha256 = WebhookEvent.digest(event.event_type, bytes(event.body or b""))
    params = [f.get_db_prep_save(f.pre_save(event, add=True), connection) for f in _fields()]
    with connection.cursor() as cursor:
        cursor.execute(_statement(alias), params)
        event.pk = cursor.fetchone()[0]
    event._state.adding = False
    event._state.db = alias
    return event
