"""The App platform's signature: base64 HMAC-SHA1 over the JSON of the signed query params.

Help Scout's current App platform loads an app's content callback and Side Panel URLs
with context in the query string (`conversation-id`, `customer-id`, ...) and adds an
`X-HelpScout-Signature` query parameter. Its guide verifies it in PHP: take `$_REQUEST`,
drop the signature and any parameter that was part of the app's own registered URL,
`json_encode` what is left and HMAC-SHA1 it with the app's secret key. So the bytes that
are signed are PHP's `json_encode` defaults, and this module reproduces them exactly:

- an object of string values, keys in the order they arrived (PHP arrays keep order);
- no parameters at all, or only `0`, `1`, ... in that order, make a list (`[]`,
  `["a","b"]`), as a PHP array with keys 0..n-1 encodes;
- `/` escaped as `\\/`, non-ASCII as lowercase `\\uXXXX` (astral characters as a UTF-16
  surrogate pair), `"` and `\\` escaped, control characters as `\\b \\f \\n \\r \\t` or
  `\\u00XX`; DEL (0x7f) and everything else printable as is; no spaces.

The query string is parsed here, from the raw bytes, not through Django's QueryDict:
the order must be kept, a repeated key is ambiguous (PHP would keep the last value at
the first key's place) and is refused, and invalid UTF-8 is refused rather than replaced
(PHP's `json_encode` fails on it, so Help Scout cannot have signed it).

Help Scout's parameter names are plain (`conversation-id`), so PHP's renaming of `.` and
spaces in names and its `a[]` arrays are not reproduced: such a name is signed as given.
The signature covers no timestamp, host or path: a signed URL stays valid until the
secret changes, and parameters left out of the signature (the app's own) are unsigned.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Sequence
from urllib.parse import unquote_to_bytes

from ..webhooks.signature import _decode

__all__ = [
    "SIGNATURE_PARAM",
    "MalformedQuery",
    "compute_query_signature",
    "php_json_object",
    "parse_query",
    "signed_query",
    "verify_query",
]

SIGNATURE_PARAM = "X-HelpScout-Signature"
MAX_QUERY_BYTES = 8 * 1024  # Help Scout sends a handful of ids; anything longer is not it
MAX_PARAMS = 64


class MalformedQuery(ValueError):
    """The query string cannot be what Help Scout signed (bad encoding, repeated key...)."""


def php_json_object(pairs: list[tuple[str, str]]) -> str:
    """`json_encode` (PHP defaults) of an ordered array of string keys and string values.

    Python's encoder with `ensure_ascii` already writes what PHP writes for quotes,
    backslashes, control characters and non-ASCII (lowercase hex, surrogate pairs); PHP
    additionally escapes `/` and leaves DEL unescaped. Both fix-ups are safe on the
    encoded text: `/` and a literal `\\u007f` sequence cannot occur inside another
    escape, because every backslash of the input is itself escaped to `\\\\`.
    """
    as_dict = dict(pairs)
    if len(as_dict) != len(pairs):
        raise MalformedQuery("repeated query parameter")
    if list(as_dict) == [str(i) for i in range(len(pairs))]:
        # A PHP array whose keys are 0..n-1 (none at all included) is a list: "[...]".
        return _fix_php(json.dumps(list(as_dict.values()), separators=(",", ":")))
    return _fix_php(json.dumps(as_dict, ensure_ascii=True, separators=(",", ":")))


def _fix_php(encoded: str) -> str:
    out = []
    i = 0
    while i < len(encoded):
        ch = encoded[i]
        if ch == "\\":  # copy an escape sequence whole, undoing only \u007f
            if encoded.startswith("\\u007f", i):
                out.append("\x7f")
                i += 6
                continue
            step = 6 if encoded[i + 1] == "u" else 2
            out.append(encoded[i : i + step])
            i += step
            continue
        out.append("\\/" if ch == "/" else ch)
        i += 1
    return "".join(out)


def _unquote(part: bytes) -> str:
    try:
        return unquote_to_bytes(part.replace(b"+", b" ")).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise MalformedQuery("query parameter is not UTF-8") from exc


def parse_query(raw: str | bytes) -> list[tuple[str, str]]:
    """The query string's (name, value) pairs in order, decoded like PHP; strict.

    Raises MalformedQuery for a query too long, too many parameters, invalid UTF-8 or a
    repeated name. Empty pieces (`a=1&&b=2`) are skipped and `a` alone means `a=""`,
    as PHP does.
    """
    if isinstance(raw, str):
        try:
            raw = raw.encode("latin-1")  # WSGI hands the query string over as latin-1
        except UnicodeEncodeError as exc:
            raise MalformedQuery("query string is not bytes") from exc
    if len(raw) > MAX_QUERY_BYTES:
        raise MalformedQuery("query string too long")
    pairs: list[tuple[str, str]] = []
    seen: set[str] = set()
    for piece in raw.split(b"&"):
        if not piece:
            continue
        name, _, value = piece.partition(b"=")
        key = _unquote(name)
        if not key:
            raise MalformedQuery("query parameter without a name")
        if key in seen:
            raise MalformedQuery("repeated query parameter")
        seen.add(key)
        pairs.append((key, _unquote(value)))
        if len(pairs) > MAX_PARAMS:
            raise MalformedQuery("too many query parameters")
    return pairs


def compute_query_signature(pairs: list[tuple[str, str]], secret: str) -> str:
    """The `X-HelpScout-Signature` value for these signed parameters, in this order."""
    data = php_json_object(pairs).encode("ascii")
    return base64.b64encode(hmac.new(secret.encode(), data, hashlib.sha1).digest()).decode()


def signed_query(
    pairs: list[tuple[str, str]], secret: str, own: Sequence[tuple[str, str]] = ()
) -> list[tuple[str, str]]:
    """What Help Scout sends: the app's own parameters, the context, then the signature."""
    return [*own, *pairs, (SIGNATURE_PARAM, compute_query_signature(list(pairs), secret))]


def verify_query(
    raw_query: str | bytes, secret: str, own_params: frozenset[str] | set[str] = frozenset()
) -> list[tuple[str, str]] | None:
    """The signed (context) parameters when the signature is right, else None.

    `own_params` are the names that were part of the app's registered URL; they are left
    out of the signed data (as Help Scout's guide says) and out of the answer, so a
    caller never mistakes an unsigned value for a signed one. Comparison is constant
    time. Raises MalformedQuery (before any HMAC) when the query cannot be parsed.
    """
    pairs = parse_query(raw_query)
    if not secret:
        return None
    signature = None
    signed = []
    for key, value in pairs:
        if key == SIGNATURE_PARAM:
            signature = value
        elif key not in own_params:
            signed.append((key, value))
    if signature is None:
        return None
    # Base64's "+" arrives as a space when a sender leaves it unencoded; a space is never
    # valid base64, so restoring it cannot make a wrong signature pass.
    expected = _decode(signature.replace(" ", "+"))
    if expected is None:
        return None
    data = php_json_object(signed).encode("ascii")
    digest = hmac.new(secret.encode(), data, hashlib.sha1).digest()
    return signed if hmac.compare_digest(digest, expected) else None
