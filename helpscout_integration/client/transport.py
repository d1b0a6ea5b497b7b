"""The request loop every API call goes through: limiter, credentials, retries, errors.

One `Transport` per API (Mailbox API with OAuth2, Docs API with its key), sharing one
`httpx.Client`. It logs method, path and status only (never headers, query or body), and
turns every failure into an exception from `helpscout_integration.exceptions`.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

import httpx

from ..exceptions import APIError, NetworkError
from .burst import WriteBurstPacer
from .errors import (
    MAY_HAVE_BEEN_APPLIED,
    NOT_SENT,
    error_from_response,
    request_strings,
    retry_after_seconds,
)
from .params import format_params
from .ratelimit import RateLimiter, minute_budget_spent
from .retries import RetrySettings, rate_limit_retrying, transient_retrying
from .stats import ClientStats

logger = logging.getLogger("helpscout_integration.client")

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# Raised before any byte of the request left this machine.
_NOT_SENT_ERRORS = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.PoolTimeout,
    httpx.UnsupportedProtocol,
)


class Credentials(Protocol):
    def ensure_configured(self) -> None: ...
    def apply(self) -> tuple[dict[str, str], str]: ...
    def renew(self, used: str) -> bool: ...
    @property
    def secrets(self) -> tuple[str, ...]: ...


@dataclass
class _Call:
    """State of one logical request across its attempts."""

    method: str
    path: str
    reauthenticated: bool = False
    uncertain: bool = False  # an earlier attempt may have been applied


class Transport:
    def __init__(
        self,
        *,
        http: httpx.Client,
        base_url: str,
        credentials: Credentials,
        limiter: RateLimiter | None,
        stats: ClientStats,
        sleep: Callable[[float], Any],
        retry_settings: RetrySettings,
        burst: WriteBurstPacer | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.credentials = credentials
        self.limiter = limiter
        self.burst = burst
        self._http = http
        self._stats = stats
        self._sleep = sleep
        self._retry_settings = retry_settings

    def ensure_configured(self) -> None:
        self.credentials.ensure_configured()

    def url(self, path: str) -> str:
        if path.startswith(("http://", "https://")):
            return path
        return f"{self.base_url}/{path.lstrip('/')}"

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
    ) -> httpx.Response:
        """Send one API request; return the successful response or raise a typed error."""
        self.ensure_configured()
        call = _Call(method.upper(), httpx.URL(self.url(path)).path)
        query = format_params(params)
        on_wait = self.limiter.pause if self.limiter else (lambda seconds: None)
        rate_limited = rate_limit_retrying(self._retry_settings, self._sleep, self._stats, on_wait)

        def attempt_with_retries() -> httpx.Response:
            transient = transient_retrying(
                call.method, self._retry_settings, self._sleep, self._stats
            )
            return transient(self._attempt, call, path, query, json)

        return rate_limited(attempt_with_retries)

    @contextlib.contextmanager
    def stream(self, path: str) -> Iterator[httpx.Response]:
        """GET `path` without reading its body: yields the open response (headers read,
        body not), closed on exit. For files: the body never sits whole in memory.

        Same limiter, credentials (one token renewal on 401) and typed errors as
        `request`; no transient retries (a half-sent file cannot be resumed here).
        """
        self.ensure_configured()
        call = _Call("GET", httpx.URL(self.url(path)).path)
        for _ in range(2):
            headers, credential = self.credentials.apply()
            if self.limiter is not None:
                self.limiter.acquire(1)
            self._stats.requests += 1
            request = self._http.build_request("GET", self.url(path), headers=headers)
            try:
                response = self._http.send(request, stream=True)
            except httpx.TransportError as exc:
                raise self._network_error(call, exc) from None
            logger.debug("GET %s -> %s (stream)", call.path, response.status_code)
            if self.limiter is not None and response.status_code != 429:
                self.limiter.observe(response.headers)
            if (
                response.status_code == 401
                and not call.reauthenticated
                and self.credentials.renew(credential)
            ):
                call.reauthenticated = True
                response.close()
                continue
            break
        try:
            if not response.is_success:
                response.read()  # an error body is small: read it to say what went wrong
                raise error_from_response(
                    response, method="GET", path=call.path, secrets=self.credentials.secrets
                )
            yield response
        finally:
            response.close()

    # -- one attempt -----------------------------------------------------------------------

    def _attempt(self, call: _Call, path: str, query: dict[str, str], json: Any) -> httpx.Response:
        headers, credential = self.credentials.apply()
        response = self._send(call, path, query, json, headers)
        if (
            response.status_code == 401
            and not call.reauthenticated
            and self.credentials.renew(credential)
        ):
            # Expired or revoked token: refresh once and repeat (a 401 was not applied).
            call.reauthenticated = True
            headers, _ = self.credentials.apply()
            response = self._send(call, path, query, json, headers)
        if response.is_success:
            return response
        if response.status_code == 404 and call.method == "DELETE" and call.uncertain:
            return response  # an earlier attempt deleted it: that is what was asked
        error = error_from_response(
            response,
            method=call.method,
            path=call.path,
            secrets=(*self.credentials.secrets, *request_strings(headers, json)),
            write=call.method in WRITE_METHODS,
        )
        if getattr(error, "may_have_been_applied", False):
            call.uncertain = True
        raise error

    def _send(
        self,
        call: _Call,
        path: str,
        query: dict[str, str],
        json: Any,
        headers: dict[str, str],
    ) -> httpx.Response:
        write = call.method in WRITE_METHODS
        if self.limiter is not None:
            self.limiter.acquire(2 if write else 1)
        if write and self.burst is not None:
            # Last, so the write leaves when the pacer planned it (no other wait between).
            self.burst.acquire()
        self._stats.requests += 1
        if write:
            self._stats.writes += 1
        try:
            response = self._http.request(
                call.method, self.url(path), params=query or None, json=json, headers=headers
            )
        except httpx.TransportError as exc:
            logger.debug("%s %s -> %s", call.method, call.path, type(exc).__name__)
            raise self._network_error(call, exc) from None
        logger.debug("%s %s -> %s", call.method, call.path, response.status_code)
        if self.limiter is not None:
            if response.status_code != 429:
                self.limiter.observe(response.headers)
            elif minute_budget_spent(response.headers):
                # A 429's own Retry-After is exact; its "0 remaining" must not add a guess,
                # but it does tell when Help Scout's minute ends. (A 429 with minute budget
                # left is the write burst limit: its Retry-After says nothing of minutes.)
                retry_after = retry_after_seconds(response.headers)
                if retry_after is not None:
                    self.limiter.learn_reset(retry_after)
        return response

    def _network_error(self, call: _Call, exc: httpx.TransportError) -> NetworkError:
        write = call.method in WRITE_METHODS
        sent = not isinstance(exc, _NOT_SENT_ERRORS)
        applied = write and sent
        if isinstance(exc, httpx.ConnectTimeout):
            what = "Timed out connecting to"
        elif isinstance(exc, httpx.TimeoutException):
            what = "Timed out waiting for"
        elif sent:
            what = "Lost the connection to"
        else:
            what = "Could not connect to"
        message = f"{what} Help Scout ({call.method} {call.path}, {type(exc).__name__})"
        if write:
            message += f": {MAY_HAVE_BEEN_APPLIED}." if applied else f"; {NOT_SENT}."
        else:
            message += "."
        if applied:
            call.uncertain = True
        return NetworkError(
            message, may_have_been_applied=applied, url=_request_url(exc), connected=sent
        )


def _request_url(exc: httpx.TransportError) -> str:
    """The URL a failed request went to, without its query string ("" if unknown)."""
    try:
        return str(exc.request.url.copy_with(query=None))
    except RuntimeError:  # httpx raises this when the error carries no request
        return ""


def created_id(response: httpx.Response) -> int | str | None:
    """The new resource's id from a 201: `Resource-ID`, else the end of `Location`.

    The body of a 201 is empty and is never read.
    """
    raw = response.headers.get("Resource-ID")
    if not raw:
        location = response.headers.get("Location")
        if location:
            raw = httpx.URL(location).path.rstrip("/").rsplit("/", 1)[-1]
    if not raw:
        return None
    raw = raw.strip()
    return int(raw) if raw.isdigit() else raw


def require_created_id(response: httpx.Response, *, method: str, path: str) -> int:
    new_id = created_id(response)
    if new_id is None:
        raise APIError(
            "Help Scout created the resource but sent neither Resource-ID nor Location.",
            status_code=response.status_code,
            method=method,
            url=path,
        )
    return new_id  # type: ignore[return-value]
