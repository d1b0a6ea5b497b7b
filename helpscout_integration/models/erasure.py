"""The record of a customer erasure: what was erased where, and never whom.

An erasure record holds no personal data: the Help Scout customer id, a keyed hash of
the address (so "was this address erased?" can be answered by whoever knows it), who
asked, when, the steps done and Help Scout's answer. It is also the ledger the mirror
writer consults (`erasure.ledger`), so nothing brings an erased customer back.
"""

from django.db import models


class ErasureStatus(models.TextChoices):
    PENDING = "pending", "Pending: nothing erased yet"
    BLOCKED = "blocked", "Blocked by Help Scout (see its answer)"
    ERASING = "erasing", "Erasing the mirror"
    AWAITING_HELPSCOUT = "awaiting_helpscout", "Awaiting Help Scout's asynchronous delete"
    DONE = "done", "Done"


# An erasure in these states has begun: the mirror must not take the customer back.
ERASURE_STATES_IN_LEDGER = (
    ErasureStatus.ERASING,
    ErasureStatus.AWAITING_HELPSCOUT,
    ErasureStatus.DONE,
)


class CustomerErasure(models.Model):
    customer_id = models.BigIntegerField(
        null=True, blank=True, help_text="Help Scout customer id (none: the address had none)"
    )
    address_hash = models.CharField(
        max_length=64,
        blank=True,
        db_index=True,
        help_text="HMAC-SHA256 of the address's key, keyed from SECRET_KEY (erasure.hashing)",
    )
    requested_by = models.CharField(
        max_length=200, blank=True, help_text="Who asked: a staff user, a command, a hook"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=ErasureStatus.choices, default=ErasureStatus.PENDING
    )
    local_only = models.BooleanField(
        default=False, help_text="Help Scout was not asked (--local-only)"
    )
    helpscout_outcome = models.CharField(
        max_length=500, blank=True, help_text="What Help Scout answered, and what to do"
    )
    steps = models.JSONField(
        default=dict, blank=True, help_text="Step name -> {at, counts}: done steps, in order"
    )

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["customer_id"],
                name="hs_erasure_customer",
                condition=models.Q(customer_id__isnull=False),
            )
        ]
        permissions = [("erase_customer", "Can erase a Help Scout customer (GDPR)")]

    def __str__(self) -> str:
        who = f"customer {self.customer_id}" if self.customer_id else "an unknown address"
        return f"Erasure of {who} ({self.status})"
