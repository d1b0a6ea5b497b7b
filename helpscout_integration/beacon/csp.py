"""Content-Security-Policy help for Beacon: the request's nonce, and the hosts to allow.

Django 6's CSP middleware exposes `request._csp_nonce` (and `csp_nonce` in the template
context); django-csp exposes `request.csp_nonce` (lazy: reading it makes the middleware
add the nonce to the header). No nonce means the host does not use nonces: the loader is a
static file, so a `script-src` host allow-list is enough.

`beacon_csp_sources()` lists what to allow for whichever Beacon script is configured
(`BEACON_SCRIPT_URL`): Help Scout's hosts for the real Beacon, or just the origin of a
stand-in such as the sandbox's, so a strict policy works in development and production.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from ..conf import DEFAULT_BEACON_SCRIPT_URL, get_settings

# Help Scout publishes no authoritative list; see docs/beacon.md ("Content-Security-Policy").
HELPSCOUT_BEACON_SOURCES: dict[str, tuple[str, ...]] = {
    "script-src": ("https://beacon-v2.helpscout.net", "https://*.helpscout.net"),
    "connect-src": (
        "https://*.helpscout.net",
        "wss://*.helpscout.net",
        "https://*.helpscoutdocs.com",
    ),
    "img-src": (
        "https://*.helpscout.net",
        "https://*.helpscoutdocs.com",
        "https://*.gravatar.com",
        "data:",
    ),
    "frame-src": ("https://*.helpscout.net",),
    "font-src": ("https://*.helpscout.net",),
    "style-src": ("https://*.helpscout.net", "'unsafe-inline'"),
    "media-src": ("https://*.helpscout.net",),
}
# A stand-in (the sandbox's) loads its script and stylesheet and calls its API on its
# own origin, and styles nothing inline.
_STAND_IN_DIRECTIVES = ("script-src", "connect-src", "img-src", "style-src")


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


def script_origin(url: str) -> str:
    """`scheme://host[:port]` of a script URL (what a CSP source list names)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def beacon_csp_sources() -> dict[str, tuple[str, ...]]:
    """CSP directive -> sources Beacon needs, for the configured `BEACON_SCRIPT_URL`.

    Merge these into your policy (django-csp's `DIRECTIVES`, Django 6's `SECURE_CSP`); the
    nonce, if any, is yours to add.
    """
    url = get_settings().BEACON_SCRIPT_URL or DEFAULT_BEACON_SCRIPT_URL
    if script_origin(url) == script_origin(DEFAULT_BEACON_SCRIPT_URL):
        return dict(HELPSCOUT_BEACON_SOURCES)
    origin = script_origin(url)
    return {directive: (origin,) for directive in _STAND_IN_DIRECTIVES}
