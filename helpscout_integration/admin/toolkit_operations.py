"""What the toolkit actions do in Help Scout: snooze, unsnooze, send later, act on a
scheduled reply. Each is one client call (two for send later) through
`operations._write_then_refresh`, so failures read the same as the other actions' and
the mirror is refreshed from Help Scout's answer.
"""

from __future__ import annotations

import logging
from typing import Any

from django.utils import timezone

from ..exceptions import HelpScoutError
from ..models import Conversation
from . import operations
from .operations import UNKNOWN, ActionError, ActionResult, describe_error

logger = logging.getLogger(__name__)


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M %Z")


def snooze(conversation: Conversation, data: dict[str, Any], user) -> ActionResult:
    until, wake = data["until"], bool(data.get("wake_on_customer_reply"))
    wakes = " (wakes on a customer reply)" if wake else ""
    return operations._write_then_refresh(
        conversation,
        lambda client: client.conversations.snooze(
            conversation.pk, until, unsnooze_on_customer_reply=wake
        ),
        f"Snoozed until {_local(until)}{wakes}.",
    )


def unsnooze(conversation: Conversation, data: dict[str, Any], user) -> ActionResult:
    return operations._write_then_refresh(
        conversation,
        lambda client: client.conversations.unsnooze(conversation.pk),
        "Unsnoozed: the conversation is back in its folder.",
    )


def send_later(conversation: Conversation, data: dict[str, Any], user) -> ActionResult:
    """A draft reply, then its schedule. If the schedule is refused, the draft stays in
    Help Scout: say so (it is neither sent nor gone)."""
    agent_id = operations.resolve_agent_id(user)
    if not conversation.customer_id:
        raise ActionError("This conversation has no customer to reply to.")
    when = data["scheduled_for"]
    body = {
        "text": data["text"],
        "customer": {"id": conversation.customer_id},
        "user": agent_id,
        "draft": True,
    }

    def write(client):
        thread_id = client.conversations.reply(conversation.pk, body)
        if thread_id is None:
            raise ActionError(
                "Help Scout saved the reply as a draft but did not say which thread it is, "
                "so it could not be scheduled. Schedule or delete the draft in Help Scout.",
                outcome=UNKNOWN,
            )
        try:
            client.threads.schedule(
                conversation.pk, int(thread_id), when,
                unschedule_on_customer_reply=bool(data.get("unschedule_on_customer_reply")),
            )  # fmt: skip
        except HelpScoutError as exc:
            try:
                operations.refresh_conversation(client, conversation.pk)
            except Exception:  # the message below stands either way
                logger.warning("Could not refresh conversation %s", conversation.pk)
            raise ActionError(
                "The reply was saved in Help Scout as a draft, but scheduling it failed: "
                f"{describe_error(exc)} It has not been sent; schedule or delete the draft.",
                outcome=UNKNOWN,
            ) from exc

    return operations._write_then_refresh(
        conversation, write, f"Reply scheduled for {_local(when)}."
    )


def scheduled_reply(conversation: Conversation, data: dict[str, Any], user) -> ActionResult:
    thread_id, what = int(data["thread"]), data["what"]
    if what == "send_now":
        return operations._write_then_refresh(
            conversation,
            lambda client: client.threads.send_scheduled_now(conversation.pk, thread_id),
            f"Scheduled reply #{thread_id} sent now.",
        )
    return operations._write_then_refresh(
        conversation,
        lambda client: client.threads.unschedule(conversation.pk, thread_id),
        f"Scheduled reply #{thread_id} cancelled; it stays a draft in Help Scout.",
    )


RUNNERS = {
    "snooze": snooze,
    "unsnooze": unsnooze,
    "send_later": send_later,
    "scheduled": scheduled_reply,
}
