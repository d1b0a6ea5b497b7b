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
