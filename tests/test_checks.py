"""System checks report each misconfigured feature by id, without leaking secret values."""

import pytest
from django.core import checks
from django.test import override_settings


def run_ids():
    return {m.id for m in checks.run_checks(tags=["helpscout"])}


def messages_text():
    return " ".join(m.msg + (m.hint or "") for m in checks.run_checks(tags=["helpscout"]))


@override_settings(
    HELPSCOUT={
        "APP_ID": "a",
        "APP_SECRET": "b",
        "WEBHOOK_SECRET": "w",
        "BEACON_ID": "x",
        "BEACON_SECRET_KEY": "k",
    }
)
def test_complete_configuration_is_clean():
    assert run_ids() == set()


@override_settings(HELPSCOUT={})
def test_every_feature_off_is_reported_as_warnings():
    ids = run_ids()
    assert {"helpscout.W010", "helpscout.W011"} <= ids
    assert not any(i.startswith("helpscout.E") for i in ids)


@override_settings(HELPSCOUT={"APP_ID": "only-id"})
def test_half_configured_api_is_an_error():
    assert "helpscout.E010" in run_ids()


@override_settings(HELPSCOUT="nope")
def test_setting_must_be_a_dict():
    assert run_ids() == {"helpscout.E001"}


@override_settings(HELPSCOUT={"RATE_LIMIT_PER_MINUTE": "fast", "TIMEOUT": -1})
def test_malformed_numbers_are_errors():
    ids = run_ids()
    assert {"helpscout.E002", "helpscout.E003"} <= ids


@override_settings(HELPSCOUT={"API_BASE_URL": "ftp://nowhere"})
def test_urls_must_be_http():
    assert "helpscout.E004" in run_ids()


@override_settings(HELPSCOUT={"BEACON_IDENTITY": "no.such.module.func"})
def test_callables_must_import():
    assert "helpscout.E005" in run_ids()


@override_settings(HELPSCOUT={"WEBHOOK_SECRET": "x" * 41, "APP_ID": "a", "APP_SECRET": "b"})
def test_webhook_secret_longer_than_help_scout_allows():
    assert "helpscout.E011" in run_ids()


@override_settings(HELPSCOUT={"BEACON_ID": "b", "APP_ID": "a", "APP_SECRET": "topsecretvalue"})
def test_half_configured_secure_mode_warns_without_leaking():
    assert "helpscout.W013" in run_ids()
    assert "topsecretvalue" not in messages_text()


@override_settings(HELPSCOUT={"APP_IDD": "typo"})
def test_unknown_keys_are_flagged():
    assert "helpscout.W002" in run_ids()


@override_settings(HELPSCOUT={"APP_PLATFORM_URL_PARAMS": ["tenant", "X-HelpScout-Signature"]})
def test_app_platform_url_params_may_not_name_the_signature():
    assert "helpscout.E012" in run_ids()


@override_settings(HELPSCOUT={"APP_PLATFORM_URL_PARAMS": "tenant"})
def test_app_platform_url_params_must_be_a_list():
    assert "helpscout.E012" in run_ids()


@override_settings(HELPSCOUT={"DYNAMIC_APP_CONTEXT": "tests.dynamic_app.producers.extra_context"})
def test_a_sidebar_context_without_any_sidebar_endpoint_is_reported():
    assert "helpscout.W014" in run_ids()


@override_settings(
    HELPSCOUT={
        "DYNAMIC_APP_CONTEXT": "tests.dynamic_app.producers.extra_context",
        "APP_PLATFORM_SECRET": "platform-key",
        "APP_PLATFORM_URL_PARAMS": ["tenant"],
    }
)
def test_an_app_platform_secret_turns_the_sidebar_on():
    ids = run_ids()
    assert not {"helpscout.W014", "helpscout.E012", "helpscout.W015"} & ids


@override_settings(
    HELPSCOUT={"APP_ID": "a", "APP_SECRET": "same-value", "APP_PLATFORM_SECRET": "same-value"}
)
def test_reusing_the_oauth_secret_as_the_app_platform_key_is_flagged_without_the_value():
    assert "helpscout.W015" in run_ids()
    assert "same-value" not in messages_text()


@override_settings(HELPSCOUT={"END_USER_OWNERSHIP": "no.such.module.owned"})
def test_the_ownership_callable_must_import():
    assert "helpscout.E005" in run_ids()


@override_settings(HELPSCOUT={"BEACON_ID": "b", "BEACON_SCRIPT_URL": "javascript:alert(1)"})
def test_a_beacon_script_url_that_is_not_http_is_an_error():
    assert "helpscout.E004" in run_ids()


@override_settings(HELPSCOUT={"WEBHOOK_RETENTION": "a month"})
def test_webhook_retention_must_be_an_age():
    assert "helpscout.E007" in run_ids()
    assert "30d" in messages_text()


@override_settings(HELPSCOUT={"WEBHOOK_RETENTION": "90d"})
def test_a_valid_webhook_retention_is_clean():
    assert "helpscout.E007" not in run_ids()


@pytest.mark.django_db
def test_webhook_events_waiting_over_a_minute_are_reported_by_the_database_check():
    from datetime import timedelta

    from django.utils import timezone

    from helpscout_integration.models import WebhookEvent

    def backlog_ids():
        return [m.id for m in checks.run_checks(databases=["default"]) if m.id == "helpscout.W020"]

    event = WebhookEvent.objects.create(event_type="convo.created", body=b"{}",
                                        signature_valid=True)  # fmt: skip
    assert backlog_ids() == [], "a fresh event is a drain's job, not a warning"
    assert "helpscout.W020" not in run_ids(), "only run when asked with databases"
    WebhookEvent.objects.filter(pk=event.pk).update(
        received_at=timezone.now() - timedelta(seconds=90)
    )
    assert backlog_ids() == ["helpscout.W020"]
    WebhookEvent.objects.filter(pk=event.pk).update(status="processed")
    assert backlog_ids() == []


@override_settings(HELPSCOUT={"ORGANIZATION_OF_USER": "no.such.module.account_of"})
def test_the_organization_callables_must_import():
    assert "helpscout.E005" in run_ids()


@override_settings(HELPSCOUT={"ORGANIZATION_FIELDS": "os.path.join"})
def test_organization_fields_without_organization_of_user_warns():
    assert "helpscout.W030" in run_ids()
    assert "helpscout.E005" not in run_ids()


def backlog_check(databases):
    from helpscout_integration.checks import check_webhook_backlog

    return check_webhook_backlog(databases=databases)


def test_checks_asked_for_by_tag_need_no_database():
    # Django 6.1 runs database-tagged checks on every database when checks are asked for
    # by tag; here (no django_db mark) every query is forbidden, as in a build step.
    assert "helpscout.W020" not in run_ids()
    assert backlog_check(["default"]) == []


@pytest.mark.django_db
def test_the_backlog_check_says_nothing_before_migrate(monkeypatch):
    from helpscout_integration.models import WebhookEvent

    monkeypatch.setattr(WebhookEvent._meta, "db_table", "helpscout_not_migrated_yet")
    assert backlog_check(["default"]) == []
    monkeypatch.undo()
    # The failed query spoiled nothing: the test's transaction still works (PostgreSQL).
    assert WebhookEvent.objects.count() == 0


@pytest.mark.django_db
def test_the_backlog_check_says_nothing_while_the_database_is_down(monkeypatch):
    from django.db import OperationalError, connections

    def refused(*args, **kwargs):
        raise OperationalError("connection to server at 127.0.0.1:5432 failed")

    monkeypatch.setattr(connections["default"], "cursor", refused)
    assert backlog_check(["default"]) == []
