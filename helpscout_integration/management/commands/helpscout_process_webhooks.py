"""`manage.py helpscout_process_webhooks`: process stored webhook events the queue missed.

Picks up events still `received` (the task backend was down when they arrived) and
`failed` events with attempts left, oldest first, and processes them in this process
(or queues them with `--enqueue`). Safe to run from cron next to workers: each event is
processed under a row lock and only once.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db.models import Q
from django.utils import timezone

from helpscout_integration.models import WebhookEvent, WebhookEventStatus
from helpscout_integration.webhooks.processing import MAX_ATTEMPTS, enqueue_event, process_event


class Command(BaseCommand):
    help = (
        "Process Help Scout webhook events left 'received' (task backend was down) and "
        "retry 'failed' ones that have attempts left."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--min-age",
            type=float,
            default=60.0,
            help="Only events received at least this many seconds ago (default 60), so "
            "events a worker is about to run are left to it.",
        )
        parser.add_argument(
            "--max-attempts",
            type=int,
            default=MAX_ATTEMPTS,
            help=f"Retry failed events with fewer attempts than this (default {MAX_ATTEMPTS}).",
        )
        parser.add_argument("--no-failed", action="store_true", help="Skip failed events.")
        parser.add_argument("--limit", type=int, default=None, help="At most this many events.")
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Queue the events on the task backend instead of processing them here.",
        )
        parser.add_argument(
            "--id", type=int, action="append", dest="ids", help="Only this event (repeatable)."
        )

    def handle(self, *args, **options):
        pending = Q(status=WebhookEventStatus.RECEIVED)
        if not options["no_failed"]:
            pending |= Q(status=WebhookEventStatus.FAILED, attempts__lt=options["max_attempts"])
        events = WebhookEvent.objects.filter(pending, signature_valid=True)
        if options["ids"]:
            events = events.filter(pk__in=options["ids"])
        cutoff = timezone.now() - timedelta(seconds=max(options["min_age"], 0.0))
        events = events.filter(received_at__lte=cutoff).order_by("received_at", "pk")
        ids = list(events.values_list("pk", flat=True)[: options["limit"]])

        outcomes: Counter[str] = Counter()
        for event_id in ids:
            if options["enqueue"]:
                enqueue_event(WebhookEvent(pk=event_id, status=WebhookEventStatus.RECEIVED))
                outcomes["queued"] += 1
            else:
                outcomes[process_event(event_id)] += 1
        summary = ", ".join(f"{n} {status}" for status, n in sorted(outcomes.items()))
        self.stdout.write(f"{len(ids)} webhook event(s): {summary or 'nothing to do'}.")
