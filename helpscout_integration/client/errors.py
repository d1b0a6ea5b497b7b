"""Turn a Help Scout error response into one of the typed exceptions.

Reads Help Scout's VndError body (`logRef`, `message`, `_embedded.errors[]`) and tolerates
anything else (HTML from a proxy, an empty body). Never copies the request, its headers or
a credential into an exception: messages come from the response, scrubbed of known secrets.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping
from typing import Any

import httpx

from ..exceptions import (
    APIError,
    AuthenticationError,
    ConversationMerged,
    FieldError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitedError,
    ServerError,
    ValidationError,
)

REDACTED = "[redacted]"
MAY_HAVE_BEEN_APPLIED = "Help Scout may have applied this request: check before sending it again"
NOT_SENT = "the request was not sent, so it was not applied"
# Rejected values of fields with these words in their path are never kept (a webhook
# `secret` that was too long would otherwise be echoed back into logs).
_SENSITIVE_PATH_WORDS = ("secret", "password", "token", "key")

_STATUS_CLASSES: dict[int, type[APIError]] = {
    400: ValidationError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ValidationError,
    412: ValidationError,
    413: ValidationError,
    422: ValidationError,
    429: RateLimitedError,
}


def scrub(text: str, secrets: Iterable[str | None]) -> str:
    """Replace every known secret found in `text` (defence in depth: servers echo things)."""
    for secret in sorted({s for s in secrets if s and len(s) >= 4}, key=len, reverse=True):
        if secret in text:
            text = text.replace(secret, REDACTED)
    return text


def request_strings(headers: Mapping[str, str], body: Any) -> list[str]:
    """What a server could echo back from our request: header values and body text."""
    values = [v for k, v in headers.items() if k.lower() == "authorization"]
    if body is None:
        return values
    values.append(json.dumps(body, separators=(",", ":")))
    values.append(json.dumps(body))
    stack = [body]
    while stack:
        item = stack.pop()
        if isinstance(item, Mapping):
            stack.extend(item.values())
        elif isinstance(item, list | tuple):
            stack.extend(item)
        elif isinstance(item, str) and len(item) >= 6:
            values.append(item)
    return values


def retry_after_seconds(headers: Mapping[str, str]) -> float | None:
    """Seconds to wait from `X-RateLimit-Retry-After` (or the standard `Retry-After`)."""
    for name in ("X-RateLimit-Retry-After", "Retry-After"):
        raw = headers.get(name)
        if raw is None:
            continue
        try:
            value = float(raw)
        except ValueError:
            continue  # an HTTP date: not sent by Help Scout, fall back to backoff
        if math.isfinite(value):
            return max(0.0, value)
    return None


_CONVERSATION_PATH = re.compile(r"/conversations/(\d+)(?:/|$)")


def merged_conversation_error(
    response: httpx.Response, *, method: str, path: str
) -> ConversationMerged | None:
    """A 301 on `/conversations/{id}` as `ConversationMerged`, else None.

    The survivor's id is read from `Location` (absolute or relative, with or without a
    query); a Location that names no conversation leaves `survivor_id` None.
    """
    if response.status_code != 301:
        return None
    match = _CONVERSATION_PATH.search(path)
    if match is None:
        return None
    conversation_id = int(match.group(1))
    survivor_id = None
    location = response.headers.get("Location") or ""
    found = _CONVERSATION_PATH.search(httpx.URL(location).path) if location else None
    if found is not None:
        survivor_id = int(found.group(1))
    survivor = f"#{survivor_id}" if survivor_id else "another conversation"
    return ConversationMerged(
        f"Conversation {conversation_id} was merged into {survivor}",
        conversation_id=conversation_id,
        survivor_id=survivor_id,
        status_code=301,
        method=method,
        url=path,
    )


def _json_body(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:  # not JSON (or empty): tolerated
        return None


def _field_errors(body: Mapping[str, Any]) -> list[FieldError]:
    embedded = body.get("_embedded")
    raw = embedded.get("errors") if isinstance(embedded, Mapping) else None
    if not isinstance(raw, list):
        return []
    errors = []
    for item in raw:
        if not isinstance(item, Mapping):
            continue
        path = str(item.get("path") or "")
        rejected = item.get("rejectedValue")
        if rejected is not None and any(w in path.lower() for w in _SENSITIVE_PATH_WORDS):
            rejected = REDACTED
        errors.append(
            FieldError(
                path=path,
                message=str(item.get("message") or ""),
                rejected_value=rejected,
                source=str(item.get("source") or ""),
            )
        )
    return errors


def parse_error_body(response: httpx.Response) -> tuple[str, str | None, list[FieldError]]:
    """(message, logRef, field errors) from a VndError body, or the reason phrase."""
    body = _json_body(response)
    message = ""
    log_ref = None
    errors: list[FieldError] = []
    if isinstance(body, Mapping):
        # `error_description`/`error` are what the OAuth2 token endpoint answers.
        message = str(
            body.get("message") or body.get("error_description") or body.get("error") or ""
        )
        log_ref = str(body["logRef"]) if body.get("logRef") else None
        errors = _field_errors(body)
    if not message:
        message = response.reason_phrase or "Help Scout answered with an error"
    return message, log_ref, errors


def error_from_response(
    response: httpx.Response,
    *,
    method: str,
    path: str,
    secrets: Iterable[str | None] = (),
    write: bool = False,
) -> APIError:
    """The typed exception for an error response (status >= 400).

    A 5xx to a write (`write=True`) may have been applied before Help Scout failed: the
    ServerError then says so in its message and in `may_have_been_applied`.
    """
    status = response.status_code
    merged = merged_conversation_error(response, method=method, path=path)
    if merged is not None:
        return merged
    message, log_ref, errors = parse_error_body(response)
    message = scrub(message, list(secrets))
    kwargs: dict[str, Any] = {
        "status_code": status,
        "log_ref": log_ref,
        "errors": errors,
        "method": method,
        "url": path,
    }
    if status == 429:
        return RateLimitedError(
            message, retry_after=retry_after_seconds(response.headers), **kwargs
        )
    if status >= 500:
        if write:
            message += f" ({MAY_HAVE_BEEN_APPLIED})"
        return ServerError(message, may_have_been_applied=write, **kwargs)
    return _STATUS_CLASSES.get(status, APIError)(message, **kwargs)
