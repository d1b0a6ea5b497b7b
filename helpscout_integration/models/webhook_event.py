"""Durable log of every webhook delivery, written before processing so nothing is lost."""

import hashlib
from typing import Any

from django.db import models


class WebhookEventStatus(models.TextChoices):
    RECEIVED = "received"
    PROCESSED = "processed"
    FAILED = "failed"
    IGNORED = "ignored"


class WebhookEvent(models.Model):
    """One delivery as received: raw body bytes, headers, and what processing made of it."""

    # Indexes are declared in Meta, not with db_index: on PostgreSQL db_index on a CharField
    # adds a second `varchar_pattern_ops` index no query here uses, and every delivery
    # pays for each index on insert.
    event_type = models.CharField(max_length=100, help_text="X-HelpScout-Event")
    body = models.BinaryField(help_text="Raw request body, exactly as signed")
    headers = models.JSONField(default=dict, blank=True)
    body_sha256 = models.CharField(max_length=64, editable=False)
    resource_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    signature_valid = models.BooleanField(default=False)
    status = models.CharField(
        max_length=20,
        choices=WebhookEventStatus.choices,
        default=WebhookEventStatus.RECEIVED,
    )
    error = models.TextField(blank=True)
    attempts = models.PositiveIntegerField(default=0)
    duplicate_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="duplicates",
        db_index=False,  # a partial index in Meta: almost every row is NULL here
    )
    received_at = models.DateTimeField(auto_now_add=True, db_index=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    # Repeats: the same signed bytes (under the same event name) delivered again are
    # counted on the first row, not stored again (webhooks/storage.py). Null for rows
    # written before repeats were counted, and for rows not made by the webhook view.
    delivery_key = models.CharField(  # noqa: DJ001 (NULL: no key, never conflicts)
        max_length=64, null=True, blank=True, editable=False
    )
    deliveries = models.PositiveIntegerField(
        default=1, help_text="How many times these exact bytes were delivered"
    )
    last_delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [
            # Also serves filters on status alone.
            models.Index(fields=["status", "received_at"], name="hs_webhook_status_recv"),
            models.Index(fields=["event_type"], name="hs_webhook_event_type"),
            # Duplicates among rows without a delivery key (written before repeats were
            # counted, or not by the webhook view) are found by digest; rows with a key
            # are found by it (the unique index), and stay out of this one, so a delivery
            # pays for one hash index on insert, not two.
            models.Index(
                fields=["body_sha256"],
                name="hs_webhook_unkeyed_sha256",
                condition=models.Q(delivery_key__isnull=True),
            ),
            # What deleting an event looks up (SET NULL on its duplicates); deliveries,
            # all NULL here, do not pay for it.
            models.Index(
                fields=["duplicate_of"],
                name="hs_webhook_duplicate_of",
                condition=models.Q(duplicate_of__isnull=False),
            ),
        ]
        constraints = [
            # A constraint, not unique=True: no extra varchar_pattern_ops index on
            # PostgreSQL. NULLs never conflict, so old rows need no key.
            models.UniqueConstraint(fields=["delivery_key"], name="hs_webhook_delivery_key"),
        ]
        permissions = [("replay_webhookevent", "Can replay Help Scout webhook events")]

    def __str__(self) -> str:
        return f"{self.event_type} #{self.pk} ({self.status})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.body_sha256:
            self.body_sha256 = self.digest(self.event_type, bytes(self.body or b""))
        super().save(*args, **kwargs)

    @staticmethod
    def digest(event_type: str, body: bytes) -> str:
        return hashlib.sha256(event_type.encode() + b"\0" + bytes(body)).hexdigest()

    @property
    def body_text(self) -> str:
        return bytes(self.body or b"").decode("utf-8", errors="replace")
