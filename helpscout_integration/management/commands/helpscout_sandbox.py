"""`manage.py helpscout_sandbox`: run the local Help Scout sandbox until Ctrl-C.

Prints the URLs to point `HELPSCOUT` at; never prints a secret.
"""

from __future__ import annotations

import signal
import threading
import time

from django.core.management.base import BaseCommand, CommandError

from helpscout_integration.sandbox import Sandbox

# A product under development may restart while a delivery is due: retry on a human clock
# (tests use the Sandbox default of a fraction of a second).
HUMAN_RETRY_DELAYS = (1.0, 5.0, 30.0, 120.0)


def product_settings_lines(sandbox: Sandbox, *, with_webhooks: bool) -> list[str]:
    """What a product pastes to talk to this sandbox: environment variables, then keys.

    The variable names are the ones the README's settings snippet reads, so a product
    installed from the README needs only these exports. Credentials are the sandbox's
    stand-ins (it accepts any non-empty pair); the webhook secret is never echoed.
    """
    values = sandbox.helpscout_settings()
    keys = ["APP_ID", "APP_SECRET", "DOCS_API_KEY", "API_BASE_URL", "TOKEN_URL"]
    keys += ["DOCS_API_BASE_URL", "BEACON_SCRIPT_URL"]
    lines = ["Environment variables read by the README's HELPSCOUT settings:"]
    lines += [f"  export HELPSCOUT_{key}={values[key]}" for key in keys]
    if with_webhooks:
        lines.append("  export HELPSCOUT_WEBHOOK_SECRET=...  # the --webhook-secret you passed")
    lines.append("or, written into settings.py directly:")
    lines.append("  HELPSCOUT = {")
    lines += [f'      "{key}": "{values[key]}",' for key in keys]
    if with_webhooks:
        lines.append('      "WEBHOOK_SECRET": "...",  # the --webhook-secret you passed')
    lines.append("  }")
    return lines


class Command(BaseCommand):
    help = "Run a local Help Scout sandbox (Mailbox API, Docs API, OAuth2, webhooks, Beacon)."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8765, help="TCP port on 127.0.0.1")
        parser.add_argument("--seed", default=None, help="demo, or large:N")
        parser.add_argument("--webhook-url", default=None, help="URL to deliver webhooks to")
        parser.add_argument("--webhook-secret", default=None, help="secret signing deliveries")
        parser.add_argument(
            "--beacon-secret-key",
            default=None,
            help="Beacon secure-mode key the Beacon stand-in verifies identify.signature with",
        )
        parser.add_argument(
            "--rate-limit", type=int, default=400, help="requests per minute (0: no limit)"
        )
        parser.add_argument(
            "--write-burst",
            type=int,
            default=12,
            help="writes allowed in any 5 Help Scout seconds (0: no burst limit)",
        )
        parser.add_argument(
            "--seed-ends-now",
            action="store_true",
            help="move the seed's dates so its newest conversation is from today "
            "(default: fixed 2024 dates)",
        )
        parser.add_argument(
            "--time-scale", type=float, default=1.0, help="60 makes a Help Scout minute last 1 s"
        )

    def handle(self, *args, **options):
        if options["webhook_url"] and not options["webhook_secret"]:
            raise CommandError("--webhook-url needs --webhook-secret")
        try:
            sandbox = Sandbox(
                seed=options["seed"],
                port=options["port"],
                rate_limit_per_minute=options["rate_limit"] or None,
                write_burst=(options["write_burst"], 5.0) if options["write_burst"] else None,
                time_scale=options["time_scale"],
                webhook_url=options["webhook_url"],
                webhook_secret=options["webhook_secret"],
                webhook_retry_delays=HUMAN_RETRY_DELAYS,
                beacon_secret_key=options["beacon_secret_key"],
                seed_ends_at=time.time() if options["seed_ends_now"] else None,
            )
            sandbox.start()
        except (ValueError, OSError) as error:
            raise CommandError(f"cannot start the sandbox: {error}") from None
        stop = threading.Event()
        # Explicit handlers: a process started in the background may inherit an ignored
        # SIGINT, and `make demo` stops its children with SIGINT.
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_: stop.set())
        out = self.stdout
        out.write(
            f"Help Scout sandbox running at {sandbox.url} (seed: {options['seed'] or 'none'})"
        )
        out.write(f"  BEACON_SCRIPT_URL  {sandbox.beacon_script_url}  (the Beacon stand-in)")
        out.write(f"  health             {sandbox.url}/sandbox/health")
        if options["webhook_url"]:
            out.write(f"  webhooks to        {options['webhook_url']} (signed)")
        for line in product_settings_lines(sandbox, with_webhooks=bool(options["webhook_url"])):
            out.write(line)
        out.write("Ctrl-C to stop.")
        self.stdout.flush()
        try:
            while not stop.wait(0.5):
                pass
        finally:
            sandbox.stop()
            out.write("Sandbox stopped.")
