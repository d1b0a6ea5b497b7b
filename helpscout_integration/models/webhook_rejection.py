"""Deliveries the webhook view refused, counted per day and reason; never their bodies.

Why counts and not rows: a refused delivery is unauthenticated (bad or missing
signature) or oversized, so storing it would let anyone fill the database. Operators
still need to see that it happens (a rotated secret not deployed, a proxy truncating
bodies, a probe): one row per day and reason, with a counter.
"""

from django.db import models


class WebhookRejectionReason(models.TextChoices):
    MISSING_SIGNATURE = "missing_signature", "missing signature"
    INVALID_SIGNATURE = "invalid_signature", "invalid signature"
    TOO_LARGE = "too_large", "body too large"


class WebhookRejection(models.Model):
    day = models.DateField()
    reason = models.CharField(max_length=32, choices=WebhookRejectionReason.choices)
    count = models.PositiveIntegerField(default=0)
    last_at = models.DateTimeField()

    class Meta:
        ordering = ["-day", "reason"]
        constraints = [
            models.UniqueConstraint(fields=["day", "reason"], name="hs_webhook_rejection_day"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.reason}: {self.count}"
