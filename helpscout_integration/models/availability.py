"""Agents' availability as Help Scout reports it (User Status, 2026): email and chat status.

Keyed by Help Scout user id, not a foreign key: a `user.status.changed` webhook can name
a user before the agent is mirrored. Written only by sync/ and webhooks/ from Help Scout's
answer; the admin reads it to show who is away.
"""

from django.db import models


class AgentStatus(models.Model):
    user_id = models.BigIntegerField(primary_key=True)
    # "active" | "away" (Help Scout said "available" before 2026-01-19; stored as "active").
    email_status = models.CharField(max_length=20, blank=True)
    email_updated_at = models.DateTimeField(null=True, blank=True)
    email_source = models.CharField(max_length=40, blank=True)  # ui | api | presence_detection
    # "unavailable" | "available" | "assign" | "custom" (then per-mailbox statuses)
    chat_status = models.CharField(max_length=20, blank=True)
    chat_mailbox_statuses = models.JSONField(default=dict, blank=True)
    synced_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "agent status"
        verbose_name_plural = "agent statuses"

    def __str__(self) -> str:
        return (
            f"User {self.user_id}: email {self.email_status or '?'}, chat {self.chat_status or '?'}"
        )

    @property
    def is_away(self) -> bool:
        return self.email_status == "away"
