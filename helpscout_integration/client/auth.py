"""Credentials for each API: OAuth2 access tokens (Mailbox API) and the Docs API key.

Access tokens live in the Django cache under a key derived from a hash of the app id and
token URL, so every process of the product shares one token and refreshes it once. This is
the only module that handles the app secret, tokens and the Docs key in clear; it never logs
them and never puts them into an exception message.
"""

from __future__ import annotations

import base64
import hashlib
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import httpx

from ..exceptions import (
    AuthenticationError,
    ConfigurationError,
    NetworkError,
    RateLimitedError,
    ServerError,
)
from .errors import parse_error_body, retry_after_seconds, scrub
from .stats import ClientStats

if TYPE_CHECKING:
    from django.core.cache.backends.base import BaseCache

logger = logging.getLogger("helpscout_integration.client")

# Refresh this long before `expires_in` runs out (capped at a tenth of the token lifetime, so
# short-lived sandbox tokens are not refreshed on every request).
REFRESH_MARGIN_SECONDS = 300.0
DEFAULT_EXPIRES_IN = 7200.0
# A process that holds the refresh lock for longer than this is presumed dead.
LOCK_TIMEOUT_SECONDS = 30
LOCK_POLL_INTERVAL = 0.1
LOCK_POLLS = 100


def _digest(*parts: str) -> str:
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]


class OAuth2TokenProvider:
    """Hands out a valid access token, fetching or refreshing it through the token URL.

    Client credentials by default; with a `refresh_token` (authorization-code apps) it uses
    the refresh-token grant and keeps the rotated refresh token in the cache too.
    """

    def __init__(
        self,
        *,
        app_id: str,
        app_secret: str,
        token_url: str,
        refresh_token: str | None,
        http: httpx.Client,
        cache: BaseCache,
        clock: Callable[[], float],
        sleep: Callable[[float], Any],
        stats: ClientStats,
    ) -> None:
        self._app_id = app_id
        self._app_secret = app_secret
        self._token_url = token_url
        self._refresh_token = refresh_token or ""
        self._http = http
        self._cache = cache
        self._clock = clock
        self._sleep = sleep
        self._stats = stats
        base = "helpscout:oauth:" + _digest(app_id, token_url)
        self.cache_key = base + ":token"
        self._lock_key = base + ":lock"
        # Keyed by the configured refresh token too: configuring a new one starts afresh.
        self._refresh_key = base + ":refresh:" + _digest(self._refresh_token)

    def __repr__(self) -> str:
        return "OAuth2TokenProvider(<redacted>)"

    @property
    def secrets(self) -> tuple[str, ...]:
        """Values that must never appear in a message (used by the error scrubber)."""
        values = [self._app_secret, self._refresh_token, self._cache.get(self._refresh_key)]
        cached = self._cache.get(self.cache_key)
        if isinstance(cached, dict):
            values.append(cached.get("access_token"))
        return tuple(v for v in values if v)

    # -- public ----------------------------------------------------------------------------

    def token(self) -> str:
        """A token that is not about to expire, fetched only when the cache has none."""
        cached = self._usable(stale=None)
        if cached:
            return cached
        current = self._cache.get(self.cache_key)
        stale = current.get("access_token") if isinstance(current, dict) else None
        return self._renew(stale)

    def refresh(self, stale_token: str) -> str:
        """After a 401: a token other than `stale_token` (another process may have one)."""
        self._stats.token_refreshes += 1
        return self._renew(stale_token)

    # -- internals -------------------------------------------------------------------------

    def _usable(self, stale: str | None) -> str | None:
        cached = self._cache.get(self.cache_key)
        if not isinstance(cached, dict):
            return None
        token = cached.get("access_token")
        if (
            not isinstance(token, str)
            or not token
            or token == stale
            or cached.get("refresh_at", 0) <= self._clock()
        ):
            return None
        return token

    def _renew(self, stale: str | None) -> str:
        # One process refreshes; the others wait for its token instead of stampeding.
        if self._cache.add(self._lock_key, 1, LOCK_TIMEOUT_SECONDS):
            try:
                return self._usable(stale) or self._fetch()
            finally:
                self._cache.delete(self._lock_key)
        for _ in range(LOCK_POLLS):
            self._sleep(LOCK_POLL_INTERVAL)
            token = self._usable(stale)
            if token:
                return token
            if not self._cache.get(self._lock_key):
                break  # the holder gave up (or died): fetch ourselves
        return self._fetch()

    def _grant(self) -> dict[str, str]:
        data = {"client_id": self._app_id, "client_secret": self._app_secret}
        if self._refresh_token:
            current = self._cache.get(self._refresh_key) or self._refresh_token
            return {"grant_type": "refresh_token", "refresh_token": current, **data}
        return {"grant_type": "client_credentials", **data}

    def _fetch(self) -> str:
        grant = self._grant()
        self._stats.token_requests += 1
        try:
            response = self._http.post(
                self._token_url, data=grant, headers={"Accept": "application/json"}
            )
        except httpx.TransportError as exc:
            raise NetworkError(
                f"Could not get an access token from {self._token_url} "
                f"({type(exc).__name__}); no API request was sent.",
                may_have_been_applied=False,
                url=self._token_url,
                connected=not isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout),
            ) from None
        logger.debug("POST %s -> %s", httpx.URL(self._token_url).path, response.status_code)
        if response.status_code >= 400:
            raise self._error(response, grant["grant_type"])
        try:
            payload = response.json()
            access_token = str(payload["access_token"])
            expires_in = float(payload.get("expires_in") or DEFAULT_EXPIRES_IN)
        except (ValueError, KeyError, TypeError):
            raise AuthenticationError(
                "Help Scout's token endpoint answered without an access token.",
                status_code=response.status_code,
                method="POST",
                url=httpx.URL(self._token_url).path,
            ) from None
        if self._refresh_token and payload.get("refresh_token"):
            # Refresh tokens rotate: keep the new one for every process, without expiry.
            self._cache.set(self._refresh_key, str(payload["refresh_token"]), None)
        now = self._clock()
        margin = min(REFRESH_MARGIN_SECONDS, expires_in / 10)
        self._cache.set(
            self.cache_key,
            {"access_token": access_token, "refresh_at": now + expires_in - margin},
            max(1, int(expires_in)),
        )
        return access_token

    def _error(self, response: httpx.Response, grant_type: str) -> Exception:
        message, log_ref, _ = parse_error_body(response)
        message = scrub(message, (self._app_secret, self._refresh_token))
        path = httpx.URL(self._token_url).path
        if response.status_code == 429:  # waited out and retried by the transport
            return RateLimitedError(
                f"Help Scout's token endpoint is rate limiting: {message}",
                retry_after=retry_after_seconds(response.headers),
                status_code=429,
                log_ref=log_ref,
                method="POST",
                url=path,
            )
        if response.status_code >= 500:
            return ServerError(
                f"Help Scout's token endpoint failed: {message}",
                may_have_been_applied=False,  # no API request was sent
                status_code=response.status_code,
                log_ref=log_ref,
                method="POST",
                url=path,
            )
        hint = (
            "check HELPSCOUT['REFRESH_TOKEN'] (re-authorize the app if it was revoked)"
            if grant_type == "refresh_token"
            else "check HELPSCOUT['APP_ID'] and HELPSCOUT['APP_SECRET']"
        )
        return AuthenticationError(
            f"Help Scout refused the app credentials ({message}); {hint}.",
            status_code=response.status_code,
            log_ref=log_ref,
            method="POST",
            url=path,
        )


class BearerAuth:
    """Mailbox API credentials: `Authorization: Bearer <token>`, renewed once on a 401."""

    def __init__(self, provider: OAuth2TokenProvider | None) -> None:
        self._provider = provider

    def ensure_configured(self) -> None:
        if self._provider is None:
            raise ConfigurationError(
                "HELPSCOUT['APP_ID'] and HELPSCOUT['APP_SECRET'] must be set to call "
                "Help Scout's Mailbox API."
            )

    def apply(self) -> tuple[dict[str, str], str]:
        """Headers for the next request, and the credential they carry (for `renew`)."""
        self.ensure_configured()
        assert self._provider is not None
        token = self._provider.token()
        return {"Authorization": f"Bearer {token}"}, token

    def renew(self, used: str) -> bool:
        """Replace a token Help Scout refused. True when a retry is worth making."""
        assert self._provider is not None
        self._provider.refresh(used)
        return True

    @property
    def secrets(self) -> tuple[str, ...]:
        return self._provider.secrets if self._provider else ()


class DocsKeyAuth:
    """Docs API credentials: HTTP Basic with the Docs API key as user name and `X`."""

    def __init__(self, api_key: str | None) -> None:
        self._api_key = api_key or ""

    def ensure_configured(self) -> None:
        if not self._api_key:
            raise ConfigurationError(
                "HELPSCOUT['DOCS_API_KEY'] must be set to call Help Scout's Docs API."
            )

    def apply(self) -> tuple[dict[str, str], str]:
        self.ensure_configured()
        userpass = base64.b64encode(f"{self._api_key}:X".encode()).decode("ascii")
        return {"Authorization": f"Basic {userpass}"}, self._api_key

    def renew(self, used: str) -> bool:
        return False  # a refused key stays refused

    @property
    def secrets(self) -> tuple[str, ...]:
        return (self._api_key,) if self._api_key else ()
