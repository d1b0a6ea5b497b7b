"""The one identity rule: which addresses may speak for a product user, and how they compare.

Every surface that turns an address into a Help Scout identity asks this module: end-user
API ownership, conversation creation and replies, Beacon identity (tag and mobile
endpoint), customer property pushes, the App platform and the legacy Dynamic App. Nothing
else lower-cases, case-folds or normalises an address (tests/test_identity_source.py
enforces it), and this module never logs an address: addresses are personal data.

Two questions, two functions:

* `refusal(address)`: may this address be handed to Help Scout at all? Help Scout may
  judge two addresses "the same" by Unicode lower-casing and compatibility
  normalisation (NFKC), and the sandbox models exactly that. So an address is refused
  when Help Scout could fold it onto a different spelling: it contains compatibility
  characters (KELVIN SIGN, LONG S, fullwidth letters, ligatures), is not in composed
  form (NFC), has non-ASCII letters that case mapping changes (upper-case, dotless i,
  sharp s), has an empty dot-separated part (a trailing dot), or spells its domain in
  punycode (`xn--`). Every accepted address is its own fold, so two accepted addresses
  Help Scout could confuse have the same key below. A refused address reads nothing,
  writes nothing and gets no Beacon signature: one rule for reads and writes.
* `email_key(address)`: how accepted addresses compare: ASCII letters case-insensitively
  (as Help Scout does), everything else exactly. The mirror stores keys (payloads use
  `email_key` on whatever Help Scout sends, refused spellings included, so they can be
  shown), but only `identity_key`/`identity_keys` (accepted addresses) ever decide who
  owns what. SQL never decides: `iexact` folds non-ASCII differently per database
  (SQLite not at all, PostgreSQL's `UPPER('\u017f')` is `S`).

Plus-addressing (`kate+support@`) is a distinct address, matched only by itself.

New surfaces must ask here too: organization pushes and customer erasure by email (built
separately) call `check_address` before sending an address and `identity_key` to compare,
and get a subclass of tests/lookalike_cases.py's `LookAlikeSurface`.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

__all__ = [
    "REFUSALS",
    "Refusal",
    "UnsafeAddress",
    "check_address",
    "email_key",
    "email_keys",
    "identity_key",
    "identity_keys",
    "refusal",
    "rows_with_email",
    "rows_with_identity",
]


@dataclass(frozen=True)
class Refusal:
    """Why an address may not be used with Help Scout: a stable `code` and the `reason`."""

    code: str
    reason: str  # completes "The email address ...": never contains the address itself


NOT_AN_ADDRESS = Refusal("not_an_address", "is not an email address (one @, text either side)")
EMPTY_PART = Refusal(
    "empty_part",
    "has an empty part between dots (a leading, trailing or doubled dot), "
    "which Help Scout may drop",
)
COMPATIBILITY = Refusal(
    "compatibility_characters",
    "contains compatibility characters (such as KELVIN SIGN, LONG S, fullwidth letters or "
    "ligatures) that Help Scout may read as other letters",
)
NOT_COMPOSED = Refusal(
    "not_composed",
    "is not in composed Unicode form (NFC), so Help Scout may read it as another spelling",
)
CASE_FOLDS = Refusal(
    "case_folds",
    "has non-ASCII characters and letters that change under case folding (upper-case "
    "letters, dotless i, sharp s), so Help Scout may match it to another spelling; use "
    "the lower-case spelling",
)
PUNYCODE = Refusal(
    "punycode_domain",
    "spells its domain in punycode (xn--), which Help Scout may match to the Unicode "
    "spelling; use the Unicode domain",
)

REFUSALS = {
    r.code: r
    for r in (NOT_AN_ADDRESS, EMPTY_PART, COMPATIBILITY, NOT_COMPOSED, CASE_FOLDS, PUNYCODE)
}


class UnsafeAddress(ValueError):
    """An address Help Scout might fold onto someone else's: never sent, never signed."""

    def __init__(self, refused: Refusal):
        self.refusal = refused
        super().__init__(f"Your email address cannot be used with support: it {refused.reason}.")


def _stripped(address: Any) -> str:
    return address.strip() if isinstance(address, str) else ""


def refusal(address: Any) -> Refusal | None:
    """Why `address` must not reach Help Scout, or None when it is safe (see module doc)."""
    address = _stripped(address)
    local, at, domain = address.rpartition("@")
    if not at or not local or not domain or "@" in local:
        return NOT_AN_ADDRESS
    if any(ch.isspace() or unicodedata.category(ch) == "Cc" for ch in address):
        return NOT_AN_ADDRESS
    if "" in local.split(".") or "" in domain.split("."):
        return EMPTY_PART
    if not address.isascii():
        # KELVIN SIGN is a canonical singleton (NFC makes it "K"), so "decomposed" means
        # what NFD leaves alone and NFC changes; any other change is compatibility.
        nfc = unicodedata.normalize("NFC", address)
        if nfc != address and unicodedata.normalize("NFD", address) == address:
            return NOT_COMPOSED
        if nfc != address or unicodedata.normalize("NFKC", address) != address:
            return COMPATIBILITY
        if address.lower() != address or address.casefold() != address:
            return CASE_FOLDS
        if address.upper().lower() != address:  # dotless i: "ı".upper() is "I"
            return CASE_FOLDS
    if any(label.lower().startswith("xn--") for label in domain.split(".")):
        return PUNYCODE
    return None


def check_address(address: Any) -> str:
    """The address exactly as it goes to Help Scout (stripped); raises UnsafeAddress."""
    refused = refusal(address)
    if refused is not None:
        raise UnsafeAddress(refused)
    return _stripped(address)


def email_key(address: Any) -> str:
    """The comparison key of one address: ASCII addresses lower-cased, others unchanged.

    Surrounding whitespace is dropped; anything that is not a string is no address ("").
    Says nothing about whether the address is safe: that is `refusal`.
    """
    address = _stripped(address)
    return address.lower() if address.isascii() else address


def email_keys(addresses: Iterable[Any]) -> list[str]:
    """Distinct non-empty keys of `addresses`, in their first-seen order."""
    keys: list[str] = []
    for address in addresses:
        key = email_key(address)
        if key and key not in keys:
            keys.append(key)
    return keys


def identity_key(address: Any) -> str:
    """The key of `address` when it may identify someone, else "" (refused: nobody)."""
    return email_key(address) if refusal(address) is None else ""


def identity_keys(addresses: Iterable[Any]) -> list[str]:
    """Distinct keys of the addresses that may identify someone, first-seen order."""
    return email_keys(identity_key(address) for address in addresses)


def _rows_by_key(rows: QuerySet, field: str, keys: set[str], key_of) -> list[Any]:
    if not keys:
        return []
    query = Q()
    for key in keys:
        query |= Q(**{f"{field}__iexact": key})
    return [row for row in rows.filter(query) if key_of(getattr(row, field, "")) in keys]


def rows_with_email(rows: QuerySet, field: str, addresses: Iterable[Any]) -> list[Any]:
    """The rows of `rows` whose `field` is one of `addresses` by key (`email_key`).

    For lookups that name an exact row (an operator's `--user`, a staff user's agent):
    refused spellings still find exactly themselves. SQL only narrows: `iexact` matches
    at least every ASCII-case variant of a key on every database (and the identical
    string), but may also match Unicode folds, so the key decides in Python. The order
    of `rows` is kept; no keys, no rows (and no query).
    """
    return _rows_by_key(rows, field, set(email_keys(addresses)), email_key)


def rows_with_identity(rows: QuerySet, field: str, addresses: Iterable[Any]) -> list[Any]:
    """Like `rows_with_email`, by the identity rule: refused addresses match nothing on
    either side. For turning a Help Scout customer's address into a product user."""
    return _rows_by_key(rows, field, set(identity_keys(addresses)), identity_key)
