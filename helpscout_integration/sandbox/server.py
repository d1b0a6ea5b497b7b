"""HTTP plumbing of the sandbox: a threaded stdlib server on 127.0.0.1, requests and
responses as small objects, a regex router, and Help Scout's error body (VndError).

Knows nothing of Help Scout's resources. Answers every response in one write (headers and
body together, Nagle off) so a keep-alive client never waits on delayed ACKs.
"""

from __future__ import annotations

import json
import re
import socket
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

MAX_BODY_BYTES = 10 * 1024 * 1024
REASONS = {
    200: "OK",
    201: "Created",
    204: "No Content",
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    409: "Conflict",
    413: "Payload Too Large",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}


class DropConnection(Exception):
    """Close the socket without answering (a fault)."""


class ApiError(Exception):
    """An error answer in Help Scout's VndError shape."""

    def __init__(
        self,
        status: int,
        message: str,
        errors: list[tuple[str, str, Any]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.errors = errors or []
        self.headers = headers or {}

    def response(self) -> Response:
        if self.status == 429:
            # Help Scout's 429 body is bare: no logRef, no links (seen in its PHP SDK tests).
            return Response.json({"message": "API rate limit exceeded"}, 429, self.headers)
        body: dict[str, Any] = {"logRef": uuid.uuid4().hex[:12], "message": self.message}
        if self.errors:
            body["_embedded"] = {
                "errors": [
                    _field_error(path, message, value) for path, message, value in self.errors
                ]
            }
            body["_links"] = {"about": {"href": ERRORS_PAGE}}
        return Response.json(body, self.status, self.headers)


# Where Help Scout's validation errors point their `_links.about`.
ERRORS_PAGE = "https://developer.helpscout.com/mailbox-api/overview/errors/"


def _field_error(path: str, message: str, value: Any) -> dict[str, Any]:
    """One of `_embedded.errors`: `rejectedValue` only when a value was sent."""
    error: dict[str, Any] = {"path": path, "message": message, "source": "JSON"}
    if value is not None:
        error["rejectedValue"] = value
    error["_links"] = {"about": {"href": ERRORS_PAGE}}
    return error


def validation_error(errors: list[tuple[str, str, Any]]) -> ApiError:
    return ApiError(400, "Validation error", errors)


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]  # lower-cased names
    body: bytes = b""

    def param(self, name: str, default: str | None = None) -> str | None:
        values = self.query.get(name)
        return values[0] if values else default

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())

    def json(self) -> Any:
        if not self.body.strip():
            raise ApiError(400, "Request body is empty")
        try:
            return json.loads(self.body)
        except (ValueError, UnicodeDecodeError):
            raise ApiError(400, "Request body is not valid JSON") from None


@dataclass
class Response:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def json(cls, data: Any, status: int = 200, headers: dict[str, str] | None = None):
        body = json.dumps(data, separators=(",", ":")).encode()
        return cls(status, body, {"Content-Type": "application/hal+json", **(headers or {})})

    @classmethod
    def empty(cls, status: int = 204, headers: dict[str, str] | None = None):
        return cls(status, b"", dict(headers or {}))


Handler = Callable[..., Response]


class Router:
    """(method, path regex) -> handler(request, **groups); 404/405 otherwise."""

    def __init__(self) -> None:
        self._routes: list[tuple[str, re.Pattern[str], Handler]] = []

    def route(self, method: str, pattern: str):
        compiled = re.compile("^" + pattern + "/?$")

        def register(handler: Handler) -> Handler:
            self._routes.append((method, compiled, handler))
            return handler

        return register

    def dispatch(self, request: Request, path: str, *context: Any) -> Response:
        allowed = False
        for method, pattern, handler in self._routes:
            match = pattern.match(path)
            if match is None:
                continue
            if method != request.method:
                allowed = True
                continue
            return handler(*context, request, **match.groupdict())
        if allowed:
            raise ApiError(405, f"Method {request.method} not allowed here")
        raise ApiError(404, "Resource not found")


class _Handler(BaseHTTPRequestHandler):
    server: SandboxHTTPServer
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server_version = "HelpScoutSandbox"
    sys_version = ""

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (stdlib name)
        return  # the sandbox keeps its own request log

    def _serve(self) -> None:
        split = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY_BYTES:
            self._write(ApiError(413, "Request too large").response())
            self.close_connection = True
            return
        body = self.rfile.read(length) if length else b""
        request = Request(
            method=self.command,
            path=split.path,
            query=parse_qs(split.query, keep_blank_values=True),
            headers={k.lower(): v for k, v in self.headers.items()},
            body=body,
        )
        try:
            response = self.server.app(request)
        except DropConnection:
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return
        self._write(response)

    def _write(self, response: Response) -> None:
        reason = REASONS.get(response.status, "Status")
        lines = [f"HTTP/1.1 {response.status} {reason}"]
        headers = {"Content-Length": str(len(response.body)), **response.headers}
        if self.close_connection:
            headers["Connection"] = "close"
        lines.extend(f"{name}: {value}" for name, value in headers.items())
        payload = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + response.body
        try:
            self.wfile.write(payload)
        except OSError:
            self.close_connection = True

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = _serve  # noqa: N815


class SandboxHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # keep-alive clients must not hold up stop()
    allow_reuse_address = True

    def __init__(self, port: int, app: Callable[[Request], Response]) -> None:
        self.app = app
        super().__init__(("127.0.0.1", port), _Handler)
