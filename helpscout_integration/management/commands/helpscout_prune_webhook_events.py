"""`manage.py helpscout_prune_webhook_events`: bound the webhook event log.

Deletes `processed` and `ignored` events received longer ago than `--older-than`
(default `HELPSCOUT["WEBHOOK_RETENTION"]`, 30 days), and with `--include-failed` the
`failed` ones too. Never deletes a `received` event: it has not run yet. Works in
batches, each its own short transaction, so it can run from cron next to live
deliveries without holding locks on the table. Also drops the per-day counts of refused
deliveries older than the same age.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import router, transaction
from django.utils import timezone

from helpscout_integration.conf import get_settings, parse_age
from helpscout_integration.models import WebhookEvent, WebhookEventStatus, WebhookRejection

DEFAULT_BATCH = 1000


class Command(BaseCommand):
    help = (
        "Delete processed and ignored Help Scout webhook events older than --older-than "
        "(default HELPSCOUT['WEBHOOK_RETENTION']); failed ones only with --include-failed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than",
            default=None,
            help='Age such as "30d", "12h", "90m" or a number of days '
            "(default: the WEBHOOK_RETENTION setting, 30 days).",
        )
        parser.add_argument(
            "--include-failed",
            action="store_true",
            help="Also delete failed events (kept by default: they may need a replay).",
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=DEFAULT_BATCH,
            help=f"Events deleted per transaction (default {DEFAULT_BATCH}).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would be deleted; delete nothing."
        )

    def handle(self, *args, **options):
        raw = options["older_than"]
        try:
            age = parse_age(raw) if raw is not None else get_settings().WEBHOOK_RETENTION
        except ValueError as exc:
            raise CommandError(f"--older-than: {exc}") from None
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1.")
        statuses = [WebhookEventStatus.PROCESSED, WebhookEventStatus.IGNORED]
        if options["include_failed"]:
            statuses.append(WebhookEventStatus.FAILED)
        cutoff = timezone.now() - age
        old = WebhookEvent.objects.filter(status__in=statuses, received_at__lt=cutoff)
        what = ", ".join(statuses)
        if options["dry_run"]:
            self.stdout.write(
                f"Would delete {old.count()} webhook event(s) ({what}) received before "
                f"{cutoff:%Y-%m-%d %H:%M} UTC."
            )
            return
        deleted = self._delete_in_batches(old, options["batch_size"], options["verbosity"])
        rejections, _ = WebhookRejection.objects.filter(day__lt=cutoff.date()).delete()
        self.stdout.write(
            f"Deleted {deleted} webhook event(s) ({what}) received before "
            f"{cutoff:%Y-%m-%d %H:%M} UTC, and {rejections} day(s) of refused-delivery counts."
        )

    def _delete_in_batches(self, old, batch_size: int, verbosity: int) -> int:
        alias = router.db_for_write(WebhookEvent)
        deleted = 0
        last = 0
        while True:
            ids = list(
                old.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:batch_size]
            )
            if not ids:
                return deleted
            with transaction.atomic(using=alias):
                # Filter again inside: an event replayed meanwhile is no longer old-and-done.
                # `only("pk")`: the collector loads the rows it deletes; never their bodies.
                _, per_model = old.filter(pk__in=ids).only("pk").delete()
            deleted += per_model.get(WebhookEvent._meta.label, 0)
            last = ids[-1]
            if verbosity >= 2:
                self.stdout.write(f"  {deleted} deleted so far")
