"""Typed errors for everything that can go wrong talking to Help Scout.

Messages carry Help Scout's own explanation (message, logRef, field errors) and never a
token, secret or request body, so they are safe to log and to show to staff.
"""

from __future__ import annotations

from dataclasses import dataclass


class HelpScoutError(Exception):
    """Base class of every error raised by helpscout_integration."""


class ConfigurationError(HelpScoutError):
    """A feature was used while its `HELPSCOUT` settings are missing or malformed."""


@dataclass(frozen=True)
class FieldError:
    path: str
    message: str
    rejected_value: object = None
    source: str = ""


class APIError(HelpScoutError):
    """Help Scout answered with an error status."""

    def __init__(
        self,
        message: str,
        *,
        status_code: int | None = None,
        log_ref: str | None = None,
        errors: list[FieldError] | None = None,
        method: str | None = None,
        url: str | None = None,
    ) -> None:
        self.message = message
        self.status_code = status_code
        self.log_ref = log_ref
        self.errors = errors or []
        self.method = method
        self.url = url
        super().__init__(str(self))

    def __str__(self) -> str:
        parts = []
        if self.status_code:
            parts.append(f"HTTP {self.status_code}")
        if self.method and self.url:
            parts.append(f"{self.method} {self.url}")
        text = " ".join(parts)
        text = f"{text}: {self.message}" if text else self.message
        if self.errors:
            text += " (" + "; ".join(f"{e.path}: {e.message}" for e in self.errors) + ")"
        if self.log_ref:
            text += f" [logRef {self.log_ref}]"
        return text


class AuthenticationError(APIError):
    """Credentials or token refused (401), even after one token refresh."""


class PermissionDeniedError(APIError):
    """403: the credentials are valid but not allowed to do this."""


class NotFoundError(APIError):
    """404: the resource does not exist (or was deleted)."""


class ConversationMerged(APIError):
    """301 on a conversation: Help Scout merged it into `survivor_id`.

    Get Conversation answers 301 Moved Permanently with a `Location` of the surviving
    conversation for 60 days after a merge (then 404). The client never follows it
    silently: the caller must learn that `conversation_id` is gone and where its threads
    went. `survivor_id` is None when the `Location` did not name a conversation.
    """

    def __init__(
        self,
        message: str,
        *,
        conversation_id: int | None = None,
        survivor_id: int | None = None,
        **kwargs,
    ) -> None:
        self.conversation_id = conversation_id
        self.survivor_id = survivor_id
        super().__init__(message, **kwargs)


class ValidationError(APIError):
    """400/409/412/413/422: Help Scout refused the request body; see `errors`."""


class RateLimitedError(APIError):
    """429 that could not be absorbed by waiting; `retry_after` is in seconds."""

    def __init__(self, message: str, *, retry_after: float | None = None, **kwargs) -> None:
        self.retry_after = retry_after
        super().__init__(message, **kwargs)


class ServerError(APIError):
    """5xx from Help Scout (after retries, for idempotent requests).

    `may_have_been_applied` is True for a write (a POST is never retried blindly): Help
    Scout may have done the work before failing, so check before sending it again.
    """

    def __init__(self, message: str, *, may_have_been_applied: bool = False, **kwargs) -> None:
        self.may_have_been_applied = may_have_been_applied
        super().__init__(message, **kwargs)


class NetworkError(HelpScoutError):
    """The request did not get an answer: timeout, refused or dropped connection.

    `may_have_been_applied` is True when the request was a write that may have reached
    Help Scout before the connection failed, so the caller must check before retrying.
    """

    def __init__(
        self,
        message: str,
        *,
        may_have_been_applied: bool = False,
        url: str = "",
        connected: bool = False,
    ) -> None:
        self.may_have_been_applied = may_have_been_applied
        #: The URL the request went to (no query string), to name in error messages.
        self.url = url
        #: Whether a connection was made at all: False means the address itself may be
        #: wrong or down (refused, unknown host), so trying again unchanged rarely helps.
        self.connected = connected
        super().__init__(message)


class WebhookSignatureError(HelpScoutError):
    """A webhook or dynamic-app request whose signature is missing or wrong."""


class PayloadError(HelpScoutError):
    """A Help Scout payload that is not the object it was said to be."""
