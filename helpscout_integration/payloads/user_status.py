"""A user's availability as Help Scout reports it (Get User Status, List User Statuses,
and the `user.status.changed` webhook since 2026-02-06, whose body is taken to be the
same object: Help Scout does not document it).

The email status `available` (Help Scout's word until 2026-01-19) is read as `active`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ..exceptions import PayloadError
from ._fields import obj, text, to_datetime, to_id

EMAIL_RENAMED = {"available": "active"}


@dataclass(frozen=True)
class ParsedUserStatus:
    user_id: int
    email_status: str
    email_updated_at: datetime | None
    email_source: str
    chat_status: str
    chat_mailbox_statuses: dict[str, str] = field(default_factory=dict)


def parse_user_status(payload: Any) -> ParsedUserStatus:
    if not isinstance(payload, dict):
        raise PayloadError("Expected a Help Scout user status object (a JSON object).")
    raw_id = payload.get("userId", payload.get("id"))
    if raw_id in (None, ""):
        raise PayloadError("Not a Help Scout user status: missing 'userId'.")
    email = obj(payload.get("email"), "user status.email")
    chat = obj(payload.get("chat"), "user status.chat")
    status = text(email.get("status"), "user status.email.status").lower()
    statuses = chat.get("mailboxStatuses")
    return ParsedUserStatus(
        user_id=to_id(raw_id, "userId"),
        email_status=EMAIL_RENAMED.get(status, status),
        email_updated_at=to_datetime(email.get("updatedAt"), "email updatedAt"),
        email_source=text(email.get("source"), "user status.email.source"),
        chat_status=text(chat.get("status"), "user status.chat.status").lower(),
        chat_mailbox_statuses={
            str(k): text(v, f"user status.chat.mailboxStatuses.{k}") for k, v in statuses.items()
        }
        if isinstance(statuses, dict)
        else {},
    )
