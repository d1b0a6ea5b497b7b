"""`helpscout_push_properties`: bulk pushes under the rate limit, resumable, per-user reports."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from helpscout_integration.client import HelpScoutClient
from helpscout_integration.customer_properties.bulk import push_users, resume_after
from helpscout_integration.management.commands import helpscout_push_properties as command
from helpscout_integration.models import SyncState

from . import producers
from .conftest import PRODUCERS, properties_of


def make_users(n, prefix="u"):
    User = get_user_model()
    User.objects.bulk_create(
        [User(username=f"{prefix}{i}", email=f"{prefix}{i}@example.com") for i in range(n)]
    )
    return list(User.objects.filter(username__startswith=prefix).order_by("pk"))


def _push_1000(sandbox):
    users = make_users(1000)
    # The sandbox's manual clock: every wait of the client moves the sandbox's time, so
    # the limits bind the same way on any machine and nothing waits for real.
    client = HelpScoutClient.from_settings(**sandbox.client_options())
    with client:
        results = push_users(users, client=client)
    assert len(results) == 1000
    assert [r.summary() for r in results if not r.ok] == []
    assert len(sandbox.store.customers) == 1000
    assert properties_of(sandbox, results[-1].customer_id)["seats"] == "3"
    return client, [r for r in sandbox.request_log if r[2] == 429]


@pytest.mark.django_db
@pytest.mark.helpscout_sandbox(rate_limit_per_minute=400, manual_clock=True)
def test_bulk_push_of_1000_users_meets_no_429_from_either_limit(properties_sandbox):
    """A customer lookup, a create and a PATCH per user: 2,000 writes, far over both the
    minute's budget and the write burst limit (on by default): the client waits its turn
    and Help Scout never has to refuse."""
    start = properties_sandbox.clock.now()
    client, refused = _push_1000(properties_sandbox)
    assert refused == []
    assert client.stats.rate_limit_waits > 0
    # 2,000 writes at 12 per 5 s take at least 833 s of the sandbox's time.
    assert properties_sandbox.clock.now() - start >= 2000 / 12 * 5


@pytest.mark.django_db
@pytest.mark.helpscout_sandbox(rate_limit_per_minute=200, manual_clock=True)
def test_bulk_push_on_a_200_a_minute_plan_under_the_default_setting(properties_sandbox, settings):
    """The default RATE_LIMIT_PER_MINUTE (400) on an account whose plan allows 200: the
    client follows Help Scout's X-RateLimit-Limit-Minute and is never refused."""
    settings.HELPSCOUT = {
        k: v for k, v in settings.HELPSCOUT.items() if k != "RATE_LIMIT_PER_MINUTE"
    }
    client, refused = _push_1000(properties_sandbox)
    assert client.limiter.configured_limit == 400 and client.limiter.limit == 200
    # Every push succeeded (no unhandled 429). Help Scout does not say when its minute
    # starts: until the client has learned that (from the first 429's Retry-After), one
    # write may straddle two of its minutes and be refused, then retried.
    assert len(refused) <= 1, refused


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


@pytest.mark.django_db
@pytest.mark.parametrize("look_alike", ["\u212aate@example.com", "\u017fam@example.com"])
def test_a_look_alike_email_selects_no_user(properties_sandbox, make_user, look_alike):
    make_user("kate"), make_user("sam")

    with pytest.raises(CommandError, match="No user with id or email"):
        call_command("helpscout_push_properties", "--user", look_alike)

    assert properties_sandbox.store.customers == {}  # nothing pushed as Kate or Sam


@pytest.mark.django_db
def test_a_non_ascii_email_selects_exactly_that_user(properties_sandbox, make_user):
    make_user("kate")
    kelvin = make_user("kelvin", email="\u212aate@example.com")

    err = io.StringIO()
    call_command("helpscout_push_properties", "--user", "\u212aate@example.com", stderr=err)

    # Exactly the Kelvin user is selected, and the identity rule refuses to push it:
    # Help Scout might fold its address onto kate's, so no customer is created or changed.
    assert properties_sandbox.store.customers == {}
    assert f"user {kelvin.pk}: failed" in err.getvalue()
    assert "compatibility characters" in err.getvalue()
