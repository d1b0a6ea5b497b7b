"""`manage.py helpscout_apply_retention [--dry-run]`: apply `MIRROR_RETENTION`.

Closed conversations older than `HELPSCOUT["MIRROR_RETENTION"]` lose their thread bodies,
preview and raw JSON; ids, counts and metadata stay (`erasure.retention`). Safe to run
from cron next to syncs and webhooks: short batches, and a rerun only finds what is new.
"""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from helpscout_integration.conf import parse_age
from helpscout_integration.erasure.retention import apply_retention


class Command(BaseCommand):
    help = (
        "Trim closed Help Scout conversations older than HELPSCOUT['MIRROR_RETENTION'] "
        "(thread bodies and raw JSON go; counts and metadata stay)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than",
            default=None,
            help='Age such as "365d" or a number of days (default: MIRROR_RETENTION).',
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would be trimmed; change nothing."
        )

    def handle(self, *args, **options):
        raw = options["older_than"]
        if raw is None:
            raw = (getattr(settings, "HELPSCOUT", None) or {}).get("MIRROR_RETENTION")
        if raw is None:
            self.stdout.write("MIRROR_RETENTION is not set: the mirror keeps everything.")
            return
        try:
            age = parse_age(raw)
        except ValueError as exc:
            raise CommandError(f"MIRROR_RETENTION / --older-than: {exc}") from None
        result = apply_retention(age, dry_run=options["dry_run"])
        verb = "Would trim" if options["dry_run"] else "Trimmed"
        self.stdout.write(
            f"{verb} {result.conversations} closed conversation(s) older than {age.days} "
            f"day(s): {result.threads} thread body(ies)."
        )
