"""Organization push benchmark: a 1,000-account push at 200 requests/minute.

Pushes N product accounts (default 1,000; `auth.Group` stands for the account, one user
each, three properties: a text, a number and a URL) to a fresh sandbox enforcing 200
requests per minute and the write burst limit (12 writes per 5 s), on the sandbox's
manual clock: the client's waits move the sandbox's time, so the run takes minutes of
the sandbox's clock and seconds of real time, the same on any machine. Prints requests
per account (reads and writes), the sandbox-clock minutes the push took, the 429s
Help Scout answered (each is retried by the client) and the accounts that failed (goal:
none). A second, unchanged push measures the cost of a no-op run.

Usage: python benchmarks/organizations.py [--accounts 1000] [--rate 200]
Runs on a fresh SQLite file (a temporary directory).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")


def account_of(user):
    return user.groups.order_by("pk").first()


def fields_of(group):
    n = int(group.name.rsplit("-", 1)[1])
    return {
        "name": f"Account {n}",
        "domains": [f"account{n}.example"],
        "properties": {"plan": "Pro", "seats": n % 90 + 1, "crm": f"https://crm.example/{n}"},
    }


def _setup(tmp: str) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench-organizations.sqlite3"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _accounts(count: int):
    from django.contrib.auth.models import Group, User

    groups = Group.objects.bulk_create([Group(name=f"account-{n}") for n in range(count)])
    users = User.objects.bulk_create(
        [User(username=f"u{n}", email=f"u{n}@account{n}.example") for n in range(count)]
    )
    through = User.groups.through
    through.objects.bulk_create(
        [through(user_id=u.pk, group_id=g.pk) for u, g in zip(users, groups, strict=True)]
    )
    return list(User.objects.order_by("pk"))


def _push(sb, users, label: str) -> None:
    from helpscout_integration.client import HelpScoutClient
    from helpscout_integration.organizations.bulk import accounts_of, push_accounts

    sb.request_log.clear()
    accounts = accounts_of(users)
    started_clock, started = sb.clock.now(), time.perf_counter()
    with HelpScoutClient.from_settings(**sb.client_options()) as client:
        results = push_accounts(accounts, client=client)
    wall = time.perf_counter() - started
    minutes = (sb.clock.now() - started_clock) / 60
    log = [r for r in sb.request_log if not r[1].endswith("/oauth2/token")]
    refused = [r for r in log if r[2] == 429]
    answered = [r for r in log if r[2] != 429]
    writes = [r for r in answered if r[0] != "GET"]
    failed = [r.summary() for r in results if not r.ok]
    n = len(accounts)
    print(f"{label}: {n} accounts")
    print(
        f"  requests per account: {len(answered) / n:.2f} "
        f"({(len(answered) - len(writes)) / n:.2f} reads, {len(writes) / n:.2f} writes)"
    )
    print(f"  sandbox-clock minutes: {minutes:.1f} ({n / max(minutes, 1e-9):.1f} accounts/min)")
    print(f"  429 answers (retried): {len(refused)}; failed accounts: {len(failed)}")
    print(f"  real seconds: {wall:.1f}")
    for line in failed[:5]:
        print("   ", line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--accounts", type=int, default=1000)
    parser.add_argument("--rate", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        _setup(tmp)
        from django.conf import settings

        from helpscout_integration.conf import _reset
        from helpscout_integration.sandbox import Sandbox

        users = _accounts(args.accounts)
        with Sandbox(rate_limit_per_minute=args.rate, manual_clock=True) as sb:
            settings.HELPSCOUT = {
                **sb.helpscout_settings(),
                "ORGANIZATION_OF_USER": "benchmarks.organizations.account_of",
                "ORGANIZATION_FIELDS": "benchmarks.organizations.fields_of",
            }
            _reset("HELPSCOUT")
            _push(sb, users, f"first push at {args.rate} req/min")
            _push(sb, users, "second push, nothing changed")


if __name__ == "__main__":
    main()
