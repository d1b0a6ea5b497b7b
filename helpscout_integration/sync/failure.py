"""Why a sync stopped, in words a person can act on (for `manage.py helpscout_sync`).

Each failure names what was tried and the setting behind it, and suggests running the
command again only when that can help: after a timeout, a dropped connection, a rate limit
or a server error (the next run resumes at the first page not committed), never after a
refused connection or rejected credentials, which fail the same way until fixed.
"""

from __future__ import annotations

from ..conf import HelpScoutSettings
from ..exceptions import (
    AuthenticationError,
    HelpScoutError,
    NetworkError,
    PermissionDeniedError,
    RateLimitedError,
    ServerError,
)

RESUME = "Run the command again to resume where it stopped."


def setting_for_url(url: str, settings: HelpScoutSettings) -> str:
    """Which `HELPSCOUT` key decides `url` (as a person would write it in settings)."""
    if url and url.startswith(settings.token_url):
        if settings.TOKEN_URL:
            return "HELPSCOUT['TOKEN_URL']"
        return "HELPSCOUT['API_BASE_URL'] (TOKEN_URL unset: API_BASE_URL + /oauth2/token)"
    if url and url.startswith(settings.DOCS_API_BASE_URL.rstrip("/")):
        return "HELPSCOUT['DOCS_API_BASE_URL']"
    return "HELPSCOUT['API_BASE_URL']"


def explain(exc: HelpScoutError, settings: HelpScoutSettings) -> str:
    """The command's one-paragraph error for `exc`."""
    message = str(exc).rstrip(".")
    if isinstance(exc, NetworkError):
        url = exc.url or settings.API_BASE_URL
        where = f"{url} (set by {setting_for_url(url, settings)})"
        if not exc.connected:
            return (
                f"Sync stopped: could not connect to {where}: {message}. "
                "Check that setting, and that the server it names is running and "
                "reachable; nothing was lost, and once it answers the next run resumes "
                "where this one stopped."
            )
        return f"Sync stopped: {message}. Help Scout at {where} stopped answering. {RESUME}"
    if isinstance(exc, AuthenticationError):
        return (
            f"Sync stopped: Help Scout refused the app credentials ({message}). "
            "Check HELPSCOUT['APP_ID'] and HELPSCOUT['APP_SECRET'] (or REFRESH_TOKEN); "
            "running again unchanged fails the same way."
        )
    if isinstance(exc, PermissionDeniedError):
        return (
            f"Sync stopped: {message}. The app's Help Scout user lacks access to this; "
            "running again unchanged fails the same way."
        )
    if isinstance(exc, RateLimitedError | ServerError):
        return f"Sync stopped: {message}. This is usually temporary. {RESUME}"
    return f"Sync stopped: {message}."
