"""Agents' availability into the mirror (`AgentStatus`): from `GET /users/status` during
a sync of agents, and from the `user.status.changed` webhook.

Out-of-order safe: a status whose `email.updatedAt` is older than the stored one is
skipped. Never raises for an account without the User Status API (the sync of agents
logs it and goes on).
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction

from ..exceptions import HelpScoutError, PayloadError
from ..models import AgentStatus
from ..payloads.user_status import ParsedUserStatus, parse_user_status

logger = logging.getLogger(__name__)


def upsert_user_status(parsed: ParsedUserStatus) -> bool:
    """Write one status; False when the stored one is newer (an older delivery)."""
    with transaction.atomic():
        current = AgentStatus.objects.select_for_update().filter(pk=parsed.user_id).first()
        if (
            current is not None
            and current.email_updated_at is not None
            and parsed.email_updated_at is not None
            and parsed.email_updated_at < current.email_updated_at
        ):
            return False
        AgentStatus.objects.update_or_create(
            user_id=parsed.user_id,
            defaults={
                "email_status": parsed.email_status,
                "email_updated_at": parsed.email_updated_at,
                "email_source": parsed.email_source,
                "chat_status": parsed.chat_status,
                "chat_mailbox_statuses": parsed.chat_mailbox_statuses,
            },
        )
    return True


def sync_user_statuses(client) -> int:
    """Mirror every user's status; returns how many were written (0 if unavailable)."""
    written = 0
    try:
        for item in client.user_statuses.list():
            try:
                written += upsert_user_status(parse_user_status(item))
            except PayloadError as exc:
                logger.warning("Skipped a user status Help Scout sent: %s", exc)
    except HelpScoutError as exc:
        logger.warning("Could not read agents' statuses from Help Scout: %s", exc)
    return written


def user_status_from_webhook(data: dict[str, Any]) -> bool:
    return upsert_user_status(parse_user_status(data))
