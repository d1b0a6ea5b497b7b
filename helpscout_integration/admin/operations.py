"""What the admin's conversation actions do: one Help Scout write, then a mirror refresh.

Each operation calls Help Scout through the client first and changes nothing locally
before Help Scout has accepted it; the mirror is then refreshed from Help Scout's own
answer (`GET /conversations/{id}?embed=threads` -> `upsert_conversations`). Failures
become `ActionError` with a message staff can act on; no token or secret ever reaches it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from ..conf import get_settings
from ..exceptions import (
    APIError,
    AuthenticationError,
    ConfigurationError,
    ConversationMerged,
    HelpScoutError,
    NetworkError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitedError,
    ServerError,
    ValidationError,
)
from ..models import Conversation
from .filters import agent_for_user

logger = logging.getLogger(__name__)


#: What is known about a failed action, each with the one sentence staff see first.
NOT_SENT = "not_sent"  # stopped here: nothing reached Help Scout
REFUSED = "refused"  # Help Scout answered with an error: it changed nothing
UNKNOWN = "unknown"  # sent, but no usable answer came back: it may have been applied

HEADLINES = {
    NOT_SENT: _("Not sent: this was stopped here and nothing reached Help Scout."),
    REFUSED: _("Help Scout refused it: nothing was changed."),
    UNKNOWN: _(
        "Unknown whether Help Scout applied it: the request was sent but no answer came "
        "back. Check the conversation in Help Scout before trying again."
    ),
}


class ActionError(Exception):
    """An action failed; `outcome` says what is known (see HEADLINES), `message` why.

    Only `UNKNOWN` allows that Help Scout acted: a write whose connection dropped after
    it was sent, or that got a 5xx, may still have been applied, and a reply sent twice
    reaches the customer twice, so staff must check before trying again.
    """

    def __init__(self, message: str, *, outcome: str = NOT_SENT) -> None:
        super().__init__(message)
        self.message = message
        self.outcome = outcome

    @property
    def headline(self) -> str:
        return str(HEADLINES[self.outcome])

    @property
    def maybe_applied(self) -> bool:
        return self.outcome == UNKNOWN


def outcome_of(exc: HelpScoutError) -> str:
    """Whether `exc` means not sent, refused by Help Scout, or unknown."""
    if isinstance(exc, NetworkError | ServerError) and exc.may_have_been_applied:
        return UNKNOWN
    if isinstance(exc, APIError):
        return REFUSED
    return NOT_SENT  # configuration, or a network error before anything was sent


@dataclass(frozen=True)
class ActionResult:
    message: str
    refreshed: bool  # False: Help Scout accepted the change but the mirror refresh failed


# A staff member is waiting for the page: rather than sleep out a spent rate limit for up
# to a minute, or back off through several retries, give up soon and say why.
MAX_RATE_LIMIT_WAIT = 5.0
MAX_RETRIES = 1


def _client():
    from ..client import HelpScoutClient  # imported late: the admin loads without the client

    return HelpScoutClient.from_settings(
        max_rate_limit_wait=MAX_RATE_LIMIT_WAIT, max_retries=MAX_RETRIES
    )


def describe_error(exc: Exception) -> str:
    """A staff-facing sentence for a client error (never includes credentials or bodies)."""
    if isinstance(exc, ConfigurationError):
        return f"Help Scout is not configured: {exc}"
    if isinstance(exc, AuthenticationError):
        return "Help Scout refused our credentials (check HELPSCOUT APP_ID / APP_SECRET)."
    if isinstance(exc, PermissionDeniedError):
        return f"Help Scout does not allow this: {exc.message}"
    if isinstance(exc, ConversationMerged):
        into = f" #{exc.survivor_id}" if exc.survivor_id else " another conversation"
        return (
            f"Help Scout merged this conversation into{into}; nothing was changed. "
            "Act on that conversation instead."
        )
    if isinstance(exc, NotFoundError):
        return "Help Scout does not know this conversation any more (deleted or merged?)."
    if isinstance(exc, ValidationError):
        details = "; ".join(f"{e.path}: {e.message}" for e in exc.errors)
        return f"Help Scout refused the request: {exc.message}" + (
            f" ({details})" if details else ""
        )
    if isinstance(exc, RateLimitedError):
        wait = f" It can take more in {exc.retry_after:.0f} s." if exc.retry_after else ""
        return "Help Scout's rate limit is exhausted." + wait
    if isinstance(exc, ServerError):
        ref = f" (logRef {exc.log_ref})" if exc.log_ref else ""
        return f"Help Scout answered with a server error (HTTP {exc.status_code}){ref}."
    if isinstance(exc, APIError):
        return f"Help Scout answered with an error: {exc}"
    if isinstance(exc, NetworkError):
        if exc.may_have_been_applied:
            return "The connection to Help Scout dropped after the request was sent."
        return "Help Scout could not be reached."
    return f"Help Scout request failed: {exc}"


def refresh_conversation(client, conversation_id: int):
    """Re-read one conversation (with threads) from Help Scout into the mirror.

    A merged conversation (301) is marked merged into its survivor and deleted, and the
    survivor is mirrored; a deleted one (404) is marked deleted. Returns the
    `sync.fetch.FetchOutcome`.
    """
    from ..sync.fetch import fetch_conversation

    # A savepoint of its own: callers carry on when the refresh fails (see below), and
    # the writer joins an open transaction (ATOMIC_REQUESTS) without one.
    with transaction.atomic():
        return fetch_conversation(client, conversation_id, source="api")


def _gone_error(client, conversation: Conversation, exc: NotFoundError) -> ActionError:
    """A write answered 404: Help Scout answers writes to a merged conversation with 404
    (only Get Conversation says 301), so ask Get Conversation which it was and record it."""
    try:
        outcome = refresh_conversation(client, conversation.pk)
    except HelpScoutError:
        return ActionError(describe_error(exc), outcome=REFUSED)
    if outcome.status == "merged":
        into = outcome.survivor_id
        target = f" #{into}" if into else " another conversation"
        return ActionError(
            f"Help Scout merged this conversation into{target}; nothing was changed. "
            "Act on that conversation instead.",
            outcome=REFUSED,
        )
    if outcome.status == "deleted":
        return ActionError(
            "Help Scout deleted this conversation; nothing was changed.", outcome=REFUSED
        )
    return ActionError(describe_error(exc), outcome=REFUSED)


def mark_merged_and_fetch(client, exc: ConversationMerged) -> None:
    """Record a merge Help Scout reported (301) and mirror the survivor."""
    from ..sync.fetch import fetch_conversation
    from ..sync.upsert import mark_conversation_merged

    if exc.conversation_id is None:
        return
    mark_conversation_merged(exc.conversation_id, exc.survivor_id, source="api")
    if exc.survivor_id:
        try:
            fetch_conversation(client, exc.survivor_id, source="api")
        except HelpScoutError:
            logger.warning("Could not fetch conversation %s (a merge survivor)", exc.survivor_id)


def _write_then_refresh(conversation: Conversation, write, success: str) -> ActionResult:
    try:
        client = _client()
    except HelpScoutError as exc:
        raise ActionError(describe_error(exc), outcome=NOT_SENT) from exc
    with client:
        try:
            write(client)
        except ConversationMerged as exc:
            with transaction.atomic():
                mark_merged_and_fetch(client, exc)
            raise ActionError(describe_error(exc), outcome=REFUSED) from exc
        except NotFoundError as exc:
            raise _gone_error(client, conversation, exc) from exc
        except HelpScoutError as exc:
            # A write that failed in flight (dropped connection, 5xx) may still have been
            # applied by Help Scout: outcome_of says so rather than invite a duplicate reply.
            raise ActionError(describe_error(exc), outcome=outcome_of(exc)) from exc
        try:
            refresh_conversation(client, conversation.pk)
        except Exception:  # the write stands; the next sync or webhook catches the mirror up
            logger.warning(
                "Help Scout accepted a change to conversation %s but the refresh failed",
                conversation.pk,
                exc_info=True,
            )
            return ActionResult(
                success + " The local copy will catch up on the next sync.", refreshed=False
            )
    return ActionResult(success, refreshed=True)


def resolve_agent_id(user) -> int:
    """The Help Scout user id a staff member acts as: matched by email, else the default."""
    agent = agent_for_user(user)
    if agent is not None:
        return agent.pk
    default = get_settings().DEFAULT_AGENT_ID
    if default:
        return int(default)
    email = getattr(user, "email", "") or "(no email)"
    raise ActionError(
        f"Your account ({email}) does not match a Help Scout user by email, and "
        "HELPSCOUT['DEFAULT_AGENT_ID'] is not set, so Help Scout would not know who is "
        "writing. Ask an administrator to add your email to Help Scout or set a default."
    )


def _with_files(body: dict, files) -> str:
    """Add `files` ((name, type, bytes) triples) to a thread body; a sentence for staff."""
    from ..client.resources.attachments import inline_attachment

    if not files:
        return ""
    body["attachments"] = [
        inline_attachment(file_name=name, mime_type=mime or "application/octet-stream", data=data)
        for name, mime, data in files
    ]
    return f" {len(files)} file(s) attached."


def send_reply(
    conversation: Conversation, *, text: str, user, status: str = "", files=()
) -> ActionResult:
    """Send `text` (and `files`) to the customer as the staff user's Help Scout agent."""
    agent_id = resolve_agent_id(user)
    if not conversation.customer_id:
        raise ActionError("This conversation has no customer to reply to.")
    body: dict = {"text": text, "customer": {"id": conversation.customer_id}, "user": agent_id}
    if status:
        body["status"] = status
    attached = _with_files(body, files)
    return _write_then_refresh(
        conversation,
        lambda client: client.conversations.reply(conversation.pk, body),
        "Reply sent to the customer." + attached,
    )


def add_note(conversation: Conversation, *, text: str, user, files=()) -> ActionResult:
    """Add a private note (never sent to the customer), with `files` if any."""
    body = {"text": text, "user": resolve_agent_id(user)}
    attached = _with_files(body, files)
    return _write_then_refresh(
        conversation,
        lambda client: client.conversations.note(conversation.pk, body),
        "Note added." + attached,
    )


def change_status(conversation: Conversation, *, status: str) -> ActionResult:
    return _write_then_refresh(
        conversation,
        lambda client: client.conversations.update(conversation.pk, "replace", "/status", status),
        f"Status changed to {status}.",
    )


def assign(conversation: Conversation, *, agent_id: int | None) -> ActionResult:
    """Assign to a Help Scout user, or unassign when `agent_id` is None."""
    if agent_id is None:

        def write(client):
            client.conversations.update(conversation.pk, "remove", "/assignTo")

        return _write_then_refresh(conversation, write, "Conversation unassigned.")
    return _write_then_refresh(
        conversation,
        lambda client: client.conversations.update(
            conversation.pk, "replace", "/assignTo", agent_id
        ),
        "Conversation assigned.",
    )


def change_tags(conversation: Conversation, *, add: list[str], remove: list[str]) -> ActionResult:
    """Add and remove tags by name.

    Help Scout replaces the whole tag list, so the mirror is refreshed first: a tag added
    in Help Scout since the last sync is kept rather than silently dropped.
    """
    remove_set = {n.strip().lower() for n in remove if n.strip()}

    def write(client):
        refresh_conversation(client, conversation.pk)
        current = list(
            Conversation.objects.get(pk=conversation.pk).tags.values_list("name", flat=True)
        )
        names = [n for n in current if n.lower() not in remove_set]
        for name in add:
            name = name.strip()
            if name and name.lower() not in {n.lower() for n in names}:
                names.append(name)
        client.conversations.set_tags(conversation.pk, names)

    return _write_then_refresh(conversation, write, "Tags updated.")
