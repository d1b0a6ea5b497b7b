"""Search every text, JSON and binary column of every table of the app (and the admin's
LogEntry) for strings, through raw SQL: what a person erased must not be found anywhere."""

from __future__ import annotations

from django.apps import apps
from django.db import connection

TEXT_TYPES = {"CharField", "TextField", "EmailField", "URLField", "SlugField", "JSONField"}


def _models():
    found = list(apps.get_app_config("helpscout_integration").get_models(include_auto_created=True))
    if apps.is_installed("django.contrib.admin"):
        found.append(apps.get_model("admin", "LogEntry"))
    return found


def searched_columns() -> list[tuple[str, str]]:
    columns = []
    for model in _models():
        for field in model._meta.concrete_fields:
            kind = field.get_internal_type()
            if kind in TEXT_TYPES or kind == "BinaryField" or isinstance(field, _json_type()):
                columns.append((model._meta.db_table, field.column))
    return columns


def _json_type():
    from django.db.models import JSONField

    return JSONField


def find_everywhere(*needles: str) -> list[str]:
    """`table.column#pk: needle` for every cell holding one of `needles` (case-insensitive)."""
    wanted = [n.lower() for n in needles]
    hits = []
    quote = connection.ops.quote_name
    for model in _models():
        table, pk = model._meta.db_table, model._meta.pk.column
        for field in model._meta.concrete_fields:
            kind = field.get_internal_type()
            binary = kind == "BinaryField"
            if not (binary or kind in TEXT_TYPES or isinstance(field, _json_type())):
                continue
            column = quote(field.column)
            expression = column if binary else f"CAST({column} AS TEXT)"
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT {quote(pk)}, {expression} FROM {quote(table)}")  # noqa: S608
                for row_pk, value in cursor.fetchall():
                    if value is None:
                        continue
                    if binary:
                        value = bytes(value).decode("utf-8", errors="replace")
                    text = str(value).lower()
                    hits.extend(
                        f"{table}.{field.column}#{row_pk}: {n}" for n in wanted if n in text
                    )
    return hits
