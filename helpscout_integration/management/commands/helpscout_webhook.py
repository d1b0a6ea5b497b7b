"""`manage.py helpscout_webhook register URL | list | delete ID`: the Help Scout webhook.

Manages the webhook subscription that points Help Scout at this product's
`helpscout:webhook` URL, through the Mailbox API. The secret sent to Help Scout is the
first `HELPSCOUT["WEBHOOK_SECRET"]`; it is never printed, not even on error.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from helpscout_integration.client import HelpScoutClient
from helpscout_integration.conf import get_settings
from helpscout_integration.exceptions import HelpScoutError
from helpscout_integration.webhooks.handlers import HANDLERS

MAX_SECRET_LENGTH = 40  # Help Scout refuses longer webhook secrets
DEFAULT_EVENTS = sorted(HANDLERS)


class Command(BaseCommand):
    help = "Register, list or delete the Help Scout webhook(s) of this Help Scout account."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="{register,list,delete}")
        register = sub.add_parser("register", help="Create a webhook pointing at URL.")
        register.add_argument("url", help="Public URL of helpscout:webhook on this site.")
        register.add_argument(
            "--events",
            nargs="+",
            default=None,
            help="Event names to subscribe to (default: every event this app handles).",
        )
        register.add_argument("--label", default="", help="Label shown in Help Scout.")
        register.add_argument(
            "--mailbox", type=int, action="append", dest="mailboxes", help="Limit to mailbox."
        )
        sub.add_parser("list", help="List the account's webhooks.")
        delete = sub.add_parser("delete", help="Delete a webhook by id.")
        delete.add_argument("webhook_id", type=int)

    def handle(self, *args, **options):
        try:
            with HelpScoutClient.from_settings() as client:
                getattr(self, "_" + options["action"])(client, options)
        except HelpScoutError as exc:
            raise CommandError(f"Help Scout refused: {exc}") from None

    def _register(self, client, options):
        secrets = get_settings().webhook_secrets
        if not secrets:
            raise CommandError(
                "Set HELPSCOUT['WEBHOOK_SECRET'] first: deliveries are signed with it."
            )
        secret = secrets[0]
        if len(secret) > MAX_SECRET_LENGTH:
            raise CommandError(
                f"HELPSCOUT['WEBHOOK_SECRET'] is {len(secret)} characters; Help Scout accepts "
                f"at most {MAX_SECRET_LENGTH}. Put a shorter secret first."
            )
        url = options["url"]
        if not url.startswith(("https://", "http://")):
            raise CommandError(f"{url!r} is not an absolute http(s) URL.")
        events = options["events"] or DEFAULT_EVENTS
        unknown = sorted(set(events) - set(HANDLERS))
        if unknown:
            self.stderr.write(
                self.style.WARNING(
                    f"Not handled by this app (stored as ignored): {', '.join(unknown)}"
                )
            )
        body = {"url": url, "events": list(events), "secret": secret, "payloadVersion": "V2"}
        if options["label"]:
            body["label"] = options["label"]
        if options["mailboxes"]:
            body["mailboxIds"] = options["mailboxes"]
        webhook_id = client.webhooks.create(body)
        self.stdout.write(
            self.style.SUCCESS(f"Registered webhook {webhook_id} -> {url} ({len(events)} events).")
        )

    def _list(self, client, options):
        count = 0
        for hook in client.webhooks.list():
            count += 1
            events = hook.get("events") or []
            label = f" [{hook['label']}]" if hook.get("label") else ""
            self.stdout.write(
                f"{hook.get('id')}\t{hook.get('state', '')}\t{hook.get('url', '')}{label}\t"
                f"{len(events)} events: {', '.join(events)}"
            )
        if not count:
            self.stdout.write("No webhooks.")

    def _delete(self, client, options):
        client.webhooks.delete(options["webhook_id"])
        self.stdout.write(self.style.SUCCESS(f"Deleted webhook {options['webhook_id']}."))
