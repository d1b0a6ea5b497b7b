"""`manage.py helpscout_erase_customer EMAIL_OR_ID`: erase a person (GDPR Art. 17).

Asks Help Scout to delete the customer (their conversations and survey answers with
them), then erases the mirror and the stored webhook deliveries (`erasure`). Resumable:
when Help Scout is down or the run is killed, running it again finishes the erasure.
Prints ids, counts and Help Scout's answer, never the address or the name.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from helpscout_integration.erasure import ErasureInterrupted, erase_customer, plan_erasure
from helpscout_integration.exceptions import HelpScoutError
from helpscout_integration.models import ErasureStatus


class Command(BaseCommand):
    help = (
        "Erase a Help Scout customer (by id or email address) at Help Scout, in the mirror "
        "and in the stored webhook deliveries. Resumable and idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument("email_or_id", help="The customer's Help Scout id or email address.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Show what would be erased; change nothing."
        )
        parser.add_argument(
            "--local-only",
            action="store_true",
            help="Erase the mirror and the webhook log only; do not ask Help Scout (for a "
            "customer already deleted there, or an account without API access).",
        )

    def handle(self, *args, **options):
        target, local_only = options["email_or_id"], options["local_only"]
        try:
            if options["dry_run"]:
                return self._dry_run(target, local_only)
            records = erase_customer(
                target, requested_by="manage.py helpscout_erase_customer", local_only=local_only
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        except ErasureInterrupted as exc:
            raise CommandError(f"Interrupted: {exc}") from None
        except HelpScoutError as exc:  # configuration, or Help Scout failed finding them
            raise CommandError(f"{type(exc).__name__}: {exc}") from None
        unfinished = False
        for record in records:
            who = f"customer {record.customer_id}" if record.customer_id else "no customer"
            self.stdout.write(f"Erasure #{record.pk} ({who}): {record.status}")
            self.stdout.write(f"  Help Scout: {record.helpscout_outcome}")
            for step, facts in record.steps.items():
                counts = ", ".join(f"{k} {v}" for k, v in facts.items() if isinstance(v, int))
                self.stdout.write(f"  {step}: {counts or 'done'}")
            unfinished |= record.status == ErasureStatus.BLOCKED
        if unfinished:
            raise CommandError("Help Scout refused the delete: see its answer above.")

    def _dry_run(self, target, local_only: bool) -> None:
        plan = plan_erasure(target, local_only=local_only)
        if not plan.customer_ids:
            self.stdout.write(
                "No customer has this address; its webhook deliveries would be erased."
            )
        for customer_id in plan.customer_ids:
            counts = ", ".join(f"{k} {v}" for k, v in plan.counts[customer_id].items())
            where = "Help Scout and the mirror" if plan.ask_helpscout else "the mirror only"
            self.stdout.write(f"Would erase customer {customer_id} from {where}: {counts}")
        self.stdout.write("Dry run: nothing was changed.")
