"""Help Scout's webhook signature: base64 HMAC-SHA1 of the raw body, keyed by a shared secret.

Used by the webhook view and by any other signed Help Scout callback (the dynamic app).
It works on bytes exactly as received and never parses, re-encodes or logs them; it never
says which secret matched or why a signature failed beyond "no".
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from collections.abc import Iterable

__all__ = ["compute_signature", "verify_signature"]

SHA1_DIGEST_SIZE = 20  # bytes; Help Scout chose SHA-1 for HMAC, which HMAC keeps sound


def compute_signature(body: bytes, secret: str | bytes) -> str:
    """The `X-HelpScout-Signature` value Help Scout sends for `body` signed with `secret`."""
    key = secret.encode() if isinstance(secret, str) else secret
    return base64.b64encode(hmac.new(key, body, hashlib.sha1).digest()).decode("ascii")


def _decode(header: str | bytes | None) -> bytes | None:
    """The 20 raw digest bytes a header carries, or None if it cannot be a signature."""
    if not header:
        return None
    if isinstance(header, str):
        try:
            header = header.strip().encode("ascii")
        except UnicodeEncodeError:
            return None
    try:
        digest = base64.b64decode(header, validate=True)
    except (binascii.Error, ValueError):
        return None
    return digest if len(digest) == SHA1_DIGEST_SIZE else None


def verify_signature(
    body: bytes, header: str | bytes | None, secrets: str | bytes | Iterable[str | bytes]
) -> bool:
    """True when `header` is the signature of `body` under any of `secrets`.

    `secrets` is one secret or several (accept old and new while rotating); empty ones
    are skipped, so no secret at all verifies nothing. Every secret is tried, and
    compared in constant time, so timing does not reveal which one matched.
    """
    expected = _decode(header)
    if expected is None:
        return False
    if isinstance(secrets, str | bytes):
        secrets = (secrets,)
    body = bytes(body)
    matched = False
    for secret in secrets:
        if not secret:
            continue
        key = secret.encode() if isinstance(secret, str) else secret
        digest = hmac.new(key, body, hashlib.sha1).digest()
        matched |= hmac.compare_digest(digest, expected)
    return matched
