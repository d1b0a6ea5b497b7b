"""Beacon secure mode: the signature that proves an identified email is really this user.

Help Scout checks `identify.signature` = hex HMAC-SHA256 of the email, keyed with the
Beacon's secret key. The key never leaves the server: only the digest goes in the page.
"""

from __future__ import annotations

import hashlib
import hmac
from functools import lru_cache


@lru_cache(maxsize=4096)
def sign_email(secret_key: str, email: str) -> str:
    """Hex HMAC-SHA256 of `email` keyed with the Beacon secret key (UTF-8 both).

    Memoized per process (a page view signs the same email again and again); the memo
    lives in server memory only, like the key itself.
    """
    return hmac.new(secret_key.encode(), email.encode(), hashlib.sha256).hexdigest()
