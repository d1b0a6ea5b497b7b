"""Count a refused webhook delivery (per day and reason) without keeping any of it.

Called by the view for 401 and 413 answers. Never stores a body, a header or an
address, and never makes the answer fail: a counter that cannot be written is logged.
"""

from __future__ import annotations

import logging

from django.db import DatabaseError, IntegrityError, router, transaction
from django.db.models import F
from django.utils import timezone

from ..models import WebhookRejection

logger = logging.getLogger(__name__)

__all__ = ["count_rejection"]


def count_rejection(reason: str) -> None:
    """Add one to today's counter for `reason` (a `WebhookRejectionReason`)."""
    now = timezone.now()
    day = timezone.localdate(now)
    rows = WebhookRejection.objects.filter(day=day, reason=reason)
    try:
        with transaction.atomic(using=router.db_for_write(WebhookRejection)):
            if rows.update(count=F("count") + 1, last_at=now):
                return
            try:
                with transaction.atomic(using=router.db_for_write(WebhookRejection)):
                    WebhookRejection.objects.create(day=day, reason=reason, count=1, last_at=now)
            except IntegrityError:  # another request created today's row meanwhile
                rows.update(count=F("count") + 1, last_at=now)
    except DatabaseError as exc:
        logger.warning("Refused webhook delivery not counted (%s: %s).", type(exc).__name__, exc)
