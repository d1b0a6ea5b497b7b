"""The keyed hash an erasure record keeps instead of the address it erased.

HMAC-SHA256 with a key Django derives from SECRET_KEY and a salt of this purpose only
(`salted_hmac`), over the address's comparison key (`emails.email_key`, Help Scout's
rule), so `Ada@Example.com` and `ada@example.com` hash alike. Whoever holds the address
can ask "was it erased?"; nobody can read it back, and the hash is useless in any other
context. This module must never log or return the address itself.
"""

from __future__ import annotations

from django.utils.crypto import salted_hmac

from ..emails import email_key

ADDRESS_HASH_SALT = "helpscout_integration.erasure.address"


def address_hash(address: str) -> str:
    """Hex HMAC of the address's key; "" for something that is no address."""
    key = email_key(address)
    if not key:
        return ""
    return salted_hmac(ADDRESS_HASH_SALT, key, algorithm="sha256").hexdigest()
