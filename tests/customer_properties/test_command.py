"""`helpscout_push_properties`: bulk pushes under the rate limit, resumable, per-user reports."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from helpscout_integration.client import HelpScoutClient
from helpscout_integration.customer_properties.bulk import push_users, resume_after
from helpscout_integration.management.commands import helpscout_push_properties as command
from helpscout_integration.models import SyncState

from . import producers
from .conftest import PRODUCERS, properties_of

# One sandbox minute lasts 1.5 s: 400 units a minute allow 267 units a second, well below
# the pace of the slowest machine seen (~630 units a second with CI running beside it; a
# scale of 150 allowed 1,000 a second and the limit did not bind there), so it binds.
TIME_SCALE = 40


def make_users(n, prefix="u"):
    User = get_user_model()
    User.objects.bulk_create(
        [User(username=f"{prefix}{i}", email=f"{prefix}{i}@example.com") for i in range(n)]
    )
    return list(User.objects.filter(username__startswith=prefix).order_by("pk"))


@pytest.mark.django_db
@pytest.mark.helpscout_sandbox(time_scale=TIME_SCALE, rate_limit_per_minute=400)
def test_bulk_push_of_1000_users_stays_under_the_rate_limit(properties_sandbox):
    users = make_users(1000)
    client = HelpScoutClient.from_settings(rate_limit_window=60 / TIME_SCALE)

    with client:
        results = push_users(users, client=client)

    assert len(results) == 1000
    assert [r.summary() for r in results if not r.ok] == []
    assert len(properties_sandbox.store.customers) == 1000
    # A customer lookup, a create (2 units) and a PATCH (2 units) per user: far over
    # 400 a minute, so the limiter had to make the run wait its turn.
    assert client.stats.rate_limit_waits > 0
    # ...and waited before Help Scout had to refuse: at most a stray 429 where the client's
    # window and the sandbox's minute start at different instants (absorbed by a retry;
    # every result above is ok).
    refused = [r for r in properties_sandbox.request_log if r[2] == 429]
    assert len(refused) <= 5, refused
    assert properties_of(properties_sandbox, results[-1].customer_id)["seats"] == "3"


@pytest.mark.django_db
def test_users_are_chosen_by_id_or_email(properties_sandbox, make_user, capsys):
    ada = make_user("ada")
    make_user("bob")
    make_user("cy")

    call_command("helpscout_push_properties", "--user", str(ada.pk), "--user", "BOB@example.com")

    emails = {c.emails[0][1] for c in properties_sandbox.store.customers.values()}
    assert emails == {"ada@example.com", "bob@example.com"}
    assert "Pushed 2 user(s): 2 complete" in capsys.readouterr().out
    assert resume_after() is None  # --user never moves the --all cursor
    with pytest.raises(CommandError, match="nobody"):
        call_command("helpscout_push_properties", "--user", "nobody")


@pytest.mark.django_db
def test_invalid_values_are_reported_per_user_and_the_run_continues(
    properties_sandbox, settings, make_user, capsys
):
    settings.HELPSCOUT = {**settings.HELPSCOUT, "CUSTOMER_PROPERTIES": PRODUCERS + "with_bad_seats"}
    make_user("ok1"), make_user("zed-bad"), make_user("ok2")

    call_command("helpscout_push_properties", "--all")

    out, err = capsys.readouterr()
    assert "Pushed 3 user(s): 2 complete, 1 with problems." in out
    assert "seats must be a whole number" in err and "plan must be one of" in err
    assert len(properties_sandbox.store.customers) == 3
    stats = SyncState.objects.get(resource="customer_properties").last_run_stats
    assert stats == {"users": 3, "ok": 2, "invalid": 1, "failed": 0}


@pytest.mark.django_db
def test_an_interrupted_all_run_resumes_after_the_last_finished_user(
    properties_sandbox, settings, monkeypatch
):
    settings.HELPSCOUT = {**settings.HELPSCOUT, "CUSTOMER_PROPERTIES": PRODUCERS + "interrupting"}
    users = make_users(6)
    monkeypatch.setitem(producers.STOP_AT_EMAIL, "value", users[3].email)

    with pytest.raises(KeyboardInterrupt):
        call_command("helpscout_push_properties", "--all")
    assert resume_after() == users[2].pk
    assert len(properties_sandbox.store.customers) == 3

    monkeypatch.setitem(producers.STOP_AT_EMAIL, "value", None)
    seen = []
    real_push_users = command.push_users
    monkeypatch.setattr(
        command,
        "push_users",
        lambda users, **kw: real_push_users(seen.extend(list(users)) or seen, **kw),
    )
    call_command("helpscout_push_properties", "--all")

    assert [u.pk for u in seen] == [u.pk for u in users[3:]]
    assert len(properties_sandbox.store.customers) == 6
    assert resume_after() is None  # a finished run clears the cursor


@pytest.mark.django_db
def test_restart_ignores_the_cursor(properties_sandbox, make_user):
    users = [make_user("a1"), make_user("a2")]
    SyncState.objects.create(resource="customer_properties", cursor={"last_user_pk": users[1].pk})

    call_command("helpscout_push_properties", "--all", "--restart")

    assert len(properties_sandbox.store.customers) == 2


def test_all_or_user_is_required():
    with pytest.raises(CommandError):
        call_command("helpscout_push_properties")
