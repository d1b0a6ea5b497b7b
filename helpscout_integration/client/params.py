"""Query parameters in the form Help Scout reads them.

Callers pass Help Scout's own parameter names as keyword arguments; this module only turns
Python values into strings (datetimes become ISO 8601 UTC with a `Z`). It never renames or
drops a parameter the caller gave, except those set to None.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any


def format_datetime(value: dt.datetime) -> str:
    """ISO 8601 in UTC with a `Z`, to the second. Naive datetimes are taken as UTC."""
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC)
    return value.replace(tzinfo=None, microsecond=0).isoformat() + "Z"


def format_value(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return format_datetime(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple | set | frozenset):
        return ",".join(format_value(v) for v in value)
    return str(value)


def format_params(params: Mapping[str, Any] | None) -> dict[str, str]:
    """Stringify every parameter; parameters whose value is None are left out."""
    return {key: format_value(value) for key, value in (params or {}).items() if value is not None}
