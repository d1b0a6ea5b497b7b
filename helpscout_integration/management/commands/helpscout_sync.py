"""`manage.py helpscout_sync`: mirror Help Scout into the database (incremental by default).

A progress bar when stdout is a terminal, plain lines otherwise; a summary at the end.
Safe to interrupt (even kill -9): the next run resumes at the first uncommitted page.
"""

from __future__ import annotations

from datetime import UTC, datetime

from django.core.management.base import BaseCommand, CommandError

from helpscout_integration.conf import get_settings
from helpscout_integration.exceptions import HelpScoutError
from helpscout_integration.sync.engine import ALL_RESOURCES, RESOURCES, SyncEngine
from helpscout_integration.sync.failure import explain
from helpscout_integration.sync.progress import LogReporter, TqdmReporter


def _iso8601(value: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        raise CommandError(
            f"--since {value!r} is not an ISO 8601 time (e.g. 2024-05-01T00:00:00Z)."
        ) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


class Command(BaseCommand):
    help = (
        "Mirror Help Scout (mailboxes, agents, tags, customers, conversations with threads; "
        "docs on request) into the database. Incremental from the last checkpoint unless "
        "--full; an interrupted run resumes where it stopped."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--full",
            action="store_true",
            help="List everything (not only what changed since the checkpoint) and mark "
            "mirrored conversations Help Scout no longer has as deleted.",
        )
        parser.add_argument(
            "--resource",
            action="append",
            choices=ALL_RESOURCES,
            dest="resources",
            help=f"Sync only this resource (repeatable). Default: {', '.join(RESOURCES)}.",
        )
        parser.add_argument("--mailbox", type=int, help="Only conversations/customers of it.")
        parser.add_argument(
            "--since",
            type=_iso8601,
            help="Incremental from this time instead of the checkpoint (ISO 8601).",
        )
        parser.add_argument(
            "--no-progress", action="store_true", help="Plain log lines even in a terminal."
        )

    def handle(self, *args, **options):
        settings = get_settings()
        resources = options["resources"] or list(RESOURCES)
        needs_api = any(name != "docs" for name in resources)
        if needs_api and not settings.api_enabled:
            raise CommandError(
                "HELPSCOUT['APP_ID'] and HELPSCOUT['APP_SECRET'] are not set; "
                "run `manage.py check` for details."
            )
        if options["full"] and options["since"]:
            raise CommandError("--full and --since exclude each other.")
        interactive = self.stdout.isatty() and not options["no_progress"]
        # OutputWrapper's raw stream; django-stubs types it only through __getattr__.
        raw_stdout = self.stdout._out
        reporter = (
            TqdmReporter(raw_stdout)  # type: ignore[arg-type]
            if interactive
            else LogReporter(self.stdout)
        )

        from helpscout_integration.client import HelpScoutClient

        try:
            with HelpScoutClient.from_settings() as client:
                report = SyncEngine(client, reporter=reporter).run(
                    resources,
                    full=options["full"],
                    mailbox_id=options["mailbox"],
                    since=options["since"],
                )
        except HelpScoutError as exc:
            raise CommandError(explain(exc, settings)) from exc
        except KeyboardInterrupt:
            raise CommandError("Interrupted; run the command again to resume.") from None

        for resource in report.resources.values():
            self.stdout.write(f"  {resource.line()}")
        self.stdout.write(self.style.SUCCESS(f"Sync complete: {report.summary()}"))
