"""Email addresses compared the way Help Scout compares them, never by Unicode folding.

Help Scout treats `Ada@Example.COM` and `ada@example.com` as one customer: letters A-Z
are case-insensitive, in the local part and the domain alike. Nothing else is folded:
`str.lower()` and SQL `iexact`/`UPPER()` also fold characters such as KELVIN SIGN
(U+212A) or LATIN SMALL LETTER LONG S (U+017F) into ASCII letters, which would let a
product user `\u212aate@example.com` own the customer `kate@example.com`. So an address
with any non-ASCII character is its own key, matched only by the identical string.

Internationalised domains are not translated (IDNA): `jörg@bücher.example` and
`jörg@xn--bcher-kva.example` are different keys. Treating them as one would hand a
customer's conversations across two spellings that the product verified only one of.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet

__all__ = ["email_key", "email_keys", "rows_with_email"]


def email_key(address: Any) -> str:
    """The comparison key of one address: ASCII addresses lower-cased, others unchanged.

    Surrounding whitespace is dropped; anything that is not a string is no address ("").
    """
    if not isinstance(address, str):
        return ""
    address = address.strip()
    return address.lower() if address.isascii() else address


def email_keys(addresses: Iterable[Any]) -> list[str]:
    """Distinct non-empty keys of `addresses`, in their first-seen order."""
    keys: list[str] = []
    for address in addresses:
        key = email_key(address)
        if key and key not in keys:
            keys.append(key)
    return keys


def rows_with_email(rows: QuerySet, field: str, addresses: Iterable[Any]) -> list[Any]:
    """The rows of `rows` whose `field` is one of `addresses` by Help Scout's rules.

    SQL only narrows: `iexact` matches at least every ASCII-case variant of a key on every
    database (and the identical string), but may also match Unicode folds (PostgreSQL's
    `UPPER('\u017f')` is `S`), so `email_key` decides in Python. The order of `rows` is
    kept; no keys, no rows (and no query).
    """
    keys = set(email_keys(addresses))
    if not keys:
        return []
    query = Q()
    for key in keys:
        query |= Q(**{f"{field}__iexact": key})
    return [row for row in rows.filter(query) if email_key(getattr(row, field, "")) in keys]
