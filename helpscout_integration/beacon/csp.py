"""The Content-Security-Policy nonce of the current request, wherever the host put it.

Django 6's CSP middleware exposes `request._csp_nonce` (and `csp_nonce` in the template
context); django-csp exposes `request.csp_nonce` (lazy: reading it makes the middleware
add the nonce to the header). No nonce means the host does not use nonces: the loader is a
static file, so a `script-src` host allow-list is enough.
"""

from __future__ import annotations

from typing import Any


def get_csp_nonce(request: Any, context: Any = None) -> str:
    """The nonce for this response, or "" when the host has none."""
    if context is not None:
        nonce = context.get("csp_nonce")
        if nonce:
            return str(nonce)
    for attribute in ("csp_nonce", "_csp_nonce"):
        nonce = getattr(request, attribute, None)
        if nonce:
            return str(nonce)
    return ""
