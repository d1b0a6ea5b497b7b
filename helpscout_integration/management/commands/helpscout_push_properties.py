"""`manage.py helpscout_push_properties`: push product users' customer properties.

`--all` walks every user with an email in primary-key order and resumes after the last
user an interrupted run finished (`--restart` starts over); `--user` pushes the given
users (pk or email). Requests share one rate limiter, so the run waits rather than
hitting Help Scout's limit. Invalid values are reported per user; the run goes on.
"""

from __future__ import annotations

import sys

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from helpscout_integration.customer_properties.bulk import finish_run, push_users, resume_after
from helpscout_integration.emails import rows_with_email
from helpscout_integration.exceptions import HelpScoutError


def make_client():
    """The client of a run (a function so tests can hand in a scaled-clock client)."""
    from helpscout_integration.client import HelpScoutClient

    return HelpScoutClient.from_settings()


class Command(BaseCommand):
    help = "Push product users' customer properties to Help Scout (resumable with --all)."

    def add_arguments(self, parser):
        who = parser.add_mutually_exclusive_group(required=True)
        who.add_argument("--all", action="store_true", help="Every user with an email.")
        who.add_argument(
            "--user", action="append", metavar="ID_OR_EMAIL", help="A user (repeatable)."
        )
        parser.add_argument(
            "--restart", action="store_true", help="With --all: ignore the saved cursor."
        )
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def _selected_users(self, options):
        User = get_user_model()
        manager = User._default_manager
        email_field = User.get_email_field_name()
        if options["all"]:
            users = manager.exclude(**{email_field: ""}).exclude(**{f"{email_field}__isnull": True})
            after = None if options["restart"] else resume_after()
            if after is not None:
                self.stdout.write(f"Resuming after user {after} (use --restart to start over).")
                users = users.filter(pk__gt=after)
            return users.order_by("pk"), True
        found = []
        for ref in options["user"]:
            # An email compares by Help Scout's rules (`emails.rows_with_email`), never
            # `iexact`: `\u212aate@example.com` must not push as the user kate@example.com.
            matches = rows_with_email(manager.order_by("pk"), email_field, [ref])
            if ref.isdigit():
                matches += list(manager.filter(pk=int(ref)))
            user = min(matches, key=lambda u: u.pk, default=None)
            if user is None:
                raise CommandError(f"No user with id or email {ref!r}.")
            found.append(user)
        return found, False

    def handle(self, *args, **options):
        users, whole_run = self._selected_users(options)
        total = users.count() if whole_run else len(users)
        if whole_run:
            users = users.iterator(chunk_size=500)
        from tqdm import tqdm

        bar = tqdm(
            total=total,
            unit="user",
            file=sys.stderr,
            disable=options["no_progress"] or not sys.stderr.isatty(),
        )
        problems = []

        def report(result):
            bar.update(1)
            if not result.ok:
                problems.append(result.summary())

        try:
            with make_client() as client:
                results = push_users(users, client=client, track_cursor=whole_run, on_result=report)
        except HelpScoutError as exc:
            raise CommandError(f"Help Scout: {exc} (run again to resume).") from None
        finally:
            bar.close()
        if whole_run:
            finish_run(results)
        for line in problems:
            self.stderr.write(line)
        ok = sum(r.ok for r in results)
        self.stdout.write(
            f"Pushed {len(results)} user(s): {ok} complete, {len(results) - ok} with problems."
        )
