"""OAuth2 for the sandbox: the token endpoint and checking bearer tokens.

Grants: client_credentials and refresh_token; fields may arrive as a form, JSON or query
parameters. Tokens live `token_ttl` Help Scout seconds (divided by the time scale in real
time). Any non-empty client credentials are accepted unless specific ones were configured.
Never logs or echoes a secret or a token.
"""

from __future__ import annotations

import hmac
import secrets
import threading
from dataclasses import dataclass

from .clock import Clock


@dataclass
class _Token:
    expires_at: float  # monotonic
    revoked: bool = False


class TokenError(Exception):
    """Why a token request or a bearer token was refused (`code` is OAuth2's error code)."""

    def __init__(self, code: str, description: str) -> None:
        super().__init__(description)
        self.code = code
        self.description = description


class OAuth:
    def __init__(
        self,
        clock: Clock,
        token_ttl: float = 172_800,
        client_id: str | None = None,
        client_secret: str | None = None,
    ) -> None:
        self.clock = clock
        self.token_ttl = float(token_ttl)
        self.client_id = client_id
        self.client_secret = client_secret
        self._lock = threading.Lock()
        self._tokens: dict[str, _Token] = {}
        self._refresh_tokens: set[str] = set()
        self.issued = 0

    def _credentials_ok(self, client_id: str, client_secret: str) -> bool:
        if not client_id or not client_secret:
            return False
        if self.client_id is not None and not hmac.compare_digest(client_id, self.client_id):
            return False
        if self.client_secret is not None and not hmac.compare_digest(
            client_secret, self.client_secret
        ):
            return False
        return True

    def grant(self, fields: dict[str, str]) -> dict:
        """The token response for a token request, or TokenError."""
        grant_type = fields.get("grant_type") or ""
        if grant_type not in ("client_credentials", "refresh_token", "authorization_code"):
            raise TokenError("unsupported_grant_type", "grant_type is not supported")
        if not self._credentials_ok(
            fields.get("client_id") or "", fields.get("client_secret") or ""
        ):
            raise TokenError("invalid_client", "Bad client credentials")
        response_extra = {}
        if grant_type == "refresh_token":
            refresh = fields.get("refresh_token") or ""
            with self._lock:
                if refresh not in self._refresh_tokens:
                    raise TokenError("invalid_grant", "Invalid refresh token")
                self._refresh_tokens.discard(refresh)  # rotated on use
            response_extra["refresh_token"] = self._new_refresh_token()
        elif grant_type == "authorization_code":
            if not fields.get("code"):
                raise TokenError("invalid_grant", "Missing authorization code")
            response_extra["refresh_token"] = self._new_refresh_token()
        access = secrets.token_urlsafe(24)
        real_ttl = self.clock.real_seconds(self.token_ttl)
        with self._lock:
            self._tokens[access] = _Token(self.clock.monotonic() + real_ttl)
            self.issued += 1
        return {
            "token_type": "bearer",
            "access_token": access,
            # Real seconds the token lasts (the scaled lifetime), at least 1.
            "expires_in": max(1, int(real_ttl)),
            **response_extra,
        }

    def _new_refresh_token(self) -> str:
        token = secrets.token_urlsafe(24)
        with self._lock:
            self._refresh_tokens.add(token)
        return token

    def issue_refresh_token(self) -> str:
        """A refresh token to configure an authorization-code integration with."""
        return self._new_refresh_token()

    def check(self, authorization: str | None) -> None:
        """Accept a valid `Authorization: Bearer` header, else raise TokenError."""
        if not authorization:
            raise TokenError("unauthorized", "Missing access token")
        scheme, _, value = authorization.partition(" ")
        if scheme.lower() != "bearer" or not value.strip():
            raise TokenError("unauthorized", "Access token must be sent as a Bearer token")
        with self._lock:
            token = self._tokens.get(value.strip())
        if token is None:
            raise TokenError("invalid_token", "Invalid access token")
        if token.revoked:
            raise TokenError("invalid_token", "Access token has been revoked")
        if self.clock.monotonic() >= token.expires_at:
            raise TokenError("invalid_token", "Access token expired")

    def revoke_all(self) -> None:
        with self._lock:
            for token in self._tokens.values():
                token.revoked = True

    def expire_all(self) -> None:
        with self._lock:
            now = self.clock.monotonic()
            for token in self._tokens.values():
                token.expires_at = min(token.expires_at, now)
