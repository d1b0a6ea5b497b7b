"""`manage.py helpscout_push_organizations`: push product accounts as Help Scout
organizations and link their users' customers to them.

Without `--user`, every account of an active user is pushed (each once, with all its
active users); `--user ID` pushes that user's account and links only that user.
`--dry-run` reads Help Scout and prints what it would write, writing nothing. Requests
share one rate limiter and write pacer, so a long run waits rather than drawing 429s.
"""

from __future__ import annotations

import sys

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from helpscout_integration.exceptions import HelpScoutError
from helpscout_integration.organizations.bulk import accounts_of, push_accounts
from helpscout_integration.organizations.context import configured


def make_client():
    """The client of a run (a function so tests can hand in a scaled-clock client)."""
    from helpscout_integration.client import HelpScoutClient

    return HelpScoutClient.from_settings()


class Command(BaseCommand):
    help = "Push product accounts to Help Scout as organizations (ORGANIZATION_* settings)."

    def add_arguments(self, parser):
        parser.add_argument("--user", action="append", metavar="ID", help="A user (repeatable).")
        parser.add_argument("--dry-run", action="store_true", help="Print, write nothing.")
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def _users(self, options):
        manager = get_user_model()._default_manager
        if not options["user"]:
            return manager.filter(is_active=True).order_by("pk").iterator(chunk_size=500)
        found = []
        for ref in options["user"]:
            user = manager.filter(pk=ref).first() if str(ref).isdigit() else None
            if user is None:
                raise CommandError(f"No user with id {ref!r}.")
            found.append(user)
        return found

    def handle(self, *args, **options):
        if not configured():
            raise CommandError(
                "Set HELPSCOUT['ORGANIZATION_OF_USER'] and HELPSCOUT['ORGANIZATION_FIELDS'] "
                "first (docs/organizations.md)."
            )
        accounts = accounts_of(self._users(options))
        dry_run = options["dry_run"]
        from tqdm import tqdm

        bar = tqdm(
            total=len(accounts),
            unit="account",
            file=sys.stderr,
            disable=options["no_progress"] or not sys.stderr.isatty(),
        )
        problems = []

        def on_result(result):
            bar.update(1)
            if dry_run and result.planned:
                self.stdout.write(f"{result.account}: would {'; '.join(result.planned)}")
            if not result.ok:
                problems.append(result)
                bar.write(result.summary(), file=self.stderr)

        client = make_client()
        try:
            results = push_accounts(accounts, client=client, dry_run=dry_run, on_result=on_result)
        except HelpScoutError as exc:
            raise CommandError(f"Help Scout: {exc}") from exc
        finally:
            bar.close()
            client.close()
        created = sum(r.created for r in results if not r.error)
        linked = sum(len(r.linked_customers) for r in results)
        verb = "Would push" if dry_run else "Pushed"
        self.stdout.write(
            f"{verb} {len(results) - len(problems)} of {len(results)} accounts "
            f"({created} new organizations, {linked} customers linked)."
        )
        if problems:
            self.stdout.write(f"{len(problems)} account(s) had problems (listed above).")
