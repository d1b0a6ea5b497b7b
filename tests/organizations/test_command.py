"""`helpscout_push_organizations`: every account once with all its users, --user,
--dry-run, clear errors; paced under Help Scout's limits (no 429)."""

import io

import pytest
from django.core.management import CommandError, call_command

from helpscout_integration.management.commands import helpscout_push_organizations as command
from helpscout_integration.models import AccountOrganization

from .accounts import ACCOUNT_FIELDS

pytestmark = pytest.mark.django_db


def _run(*args):
    out = io.StringIO()
    call_command("helpscout_push_organizations", *args, "--no-progress", stdout=out)
    return out.getvalue()


@pytest.mark.helpscout_sandbox(rate_limit_per_minute=None, write_burst=None)
def test_each_account_once_with_all_its_users(org_settings, make_member):
    make_member("ada", "Acme")
    make_member("ben", "Acme")
    make_member("cy", "Globex")
    make_member("off", "Initech", is_active=False)

    out = _run()

    assert "Pushed 2 of 2 accounts (2 new organizations, 3 customers linked)" in out
    store = org_settings.store
    assert sorted(o.name for o in store.organizations.values()) == ["Acme", "Globex"]
    acme = next(o.id for o in store.organizations.values() if o.name == "Acme")
    assert store.customer_by_email("ben@example.com").organization_id == acme
    assert store.customer_by_email("off@example.com") is None


@pytest.mark.helpscout_sandbox(rate_limit_per_minute=None, write_burst=None)
def test_user_and_dry_run(org_settings, make_member):
    ada = make_member("ada", "Acme")
    make_member("cy", "Globex")
    out = _run("--user", str(ada.pk), "--dry-run")
    assert "would create organization 'Acme'" in out
    assert "Would push 1 of 1 accounts" in out
    assert org_settings.store.organizations == {}
    assert not AccountOrganization.objects.exists()
    with pytest.raises(CommandError, match="No user with id"):
        _run("--user", "999999")


@pytest.mark.helpscout_sandbox(rate_limit_per_minute=None, write_burst=None)
def test_bad_account_fields_are_reported_and_the_run_goes_on(org_settings, make_member):
    ACCOUNT_FIELDS["Acme"] = {"name": ""}
    make_member("ada", "Acme")
    make_member("cy", "Globex")
    out = _run()
    assert "Pushed 1 of 2 accounts" in out and "1 account(s) had problems" in out


def test_unconfigured_settings_are_a_clear_error(settings):
    settings.HELPSCOUT = {}
    with pytest.raises(CommandError, match="ORGANIZATION_OF_USER"):
        _run()


@pytest.mark.helpscout_sandbox(rate_limit_per_minute=200, manual_clock=True)
def test_a_bulk_push_meets_no_429_at_200_a_minute(org_settings, make_member, monkeypatch):
    """Five writes per new account (organization, three properties, customer): far over
    the write burst limit; the client's pacing means Help Scout never refuses."""
    for n in range(60):
        ACCOUNT_FIELDS[f"A{n}"] = {
            "name": f"Account {n}",
            "properties": {"plan": "Pro", "seats": n, "crm": f"https://crm.test/{n}"},
        }
        make_member(f"u{n}", f"A{n}")
    sb = org_settings
    from helpscout_integration.client import HelpScoutClient

    monkeypatch.setattr(
        command, "make_client", lambda: HelpScoutClient.from_settings(**sb.client_options())
    )
    start = sb.clock.now()

    out = _run()

    assert "Pushed 60 of 60 accounts" in out  # no 429 went unhandled
    log = sb.request_log
    refused = [n for n, r in enumerate(log) if r[2] == 429]
    # The pacing keeps refusals to the odd window edge (the client's minute and the
    # sandbox's drift apart by its scheduling); each one is retried and goes through.
    assert len(refused) <= 2
    assert all(log[n + 1][:2] == log[n][:2] and log[n + 1][2] < 300 for n in refused)
    writes = [r for r in log if r[0] != "GET" and not r[1].endswith("/token") and r[2] != 429]
    assert len(writes) == 60 * 5 + 3  # + the three property definitions, once
    assert sb.clock.now() - start >= len(writes) / 12 * 5 - 5  # paced at 12 writes / 5 s
