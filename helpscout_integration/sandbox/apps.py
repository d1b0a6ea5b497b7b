"""Sidebar apps registered with the sandbox, called the way Help Scout's App platform does.

Help Scout loads an app's content callback (and any Side Panel URL the app opens) with a
GET whose query string holds the context and, last, `X-HelpScout-Signature`: base64
HMAC-SHA1, keyed with the app's secret key, of PHP `json_encode` of the context
parameters (Help Scout's "Signature Validation" guide). The parameter names and their
order follow a live request reported in public code: `conversation-id`,
`conversation-number`, `customer-id`, `mailbox-id`, `user-id`, `application-id`,
`application-slug` [unverified beyond that report]. Query parameters already in the
registered URL stay first and are not signed.

The encoder here is written on its own, character by character, so the sandbox does not
agree with the app merely because both share code.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from dataclasses import dataclass
from urllib.parse import quote, urlsplit, urlunsplit

SIGNATURE_PARAM = "X-HelpScout-Signature"

_SHORT = {'"': '\\"', "\\": "\\\\", "/": "\\/", "\b": "\\b", "\f": "\\f", "\n": "\\n"}
_SHORT.update({"\r": "\\r", "\t": "\\t"})


def _php_string(text: str) -> str:
    out = ['"']
    for ch in text:
        code = ord(ch)
        if ch in _SHORT:
            out.append(_SHORT[ch])
        elif code < 0x20:
            out.append(f"\\u{code:04x}")
        elif code < 0x80:
            out.append(ch)
        elif code < 0x10000:
            out.append(f"\\u{code:04x}")
        else:  # astral: a UTF-16 surrogate pair, as PHP writes it
            code -= 0x10000
            out.append(f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}")
    out.append('"')
    return "".join(out)


def php_json(pairs: list[tuple[str, str]]) -> str:
    """`json_encode` of an ordered PHP array of strings, as Help Scout's guide uses.

    An array keyed 0..n-1 (an empty one included) is a JSON list in PHP.
    """
    if [k for k, _ in pairs] == [str(i) for i in range(len(pairs))]:
        return "[" + ",".join(_php_string(v) for _, v in pairs) + "]"
    return "{" + ",".join(f"{_php_string(k)}:{_php_string(v)}" for k, v in pairs) + "}"


def sign(pairs: list[tuple[str, str]], secret: str) -> str:
    data = php_json(pairs).encode("ascii")
    return base64.b64encode(hmac.new(secret.encode(), data, hashlib.sha1).digest()).decode()


@dataclass
class RegisteredApp:
    id: int
    url: str
    secret: str
    name: str

    @property
    def slug(self) -> str:
        return re.sub(r"[^a-z0-9]+", "-", self.name.lower()).strip("-") or f"app-{self.id}"

    def origin(self) -> tuple[str, str]:
        parts = urlsplit(self.url)
        return parts.scheme, parts.netloc


def signed_url(app: RegisteredApp, url: str, context: list[tuple[str, str]]) -> str:
    """`url` with the context and the signature appended to whatever query it had."""
    parts = urlsplit(url)
    context = [*context, ("application-id", str(app.id)), ("application-slug", app.slug)]
    signature = sign(context, app.secret)
    added = "&".join(
        f"{quote(k, safe='')}={quote(v, safe='')}"
        for k, v in [*context, (SIGNATURE_PARAM, signature)]
    )
    query = f"{parts.query}&{added}" if parts.query else added
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))
