"""The HELPSCOUT accessor: defaults, coercion, and secrets kept out of reprs."""

from django.test import override_settings

from helpscout_integration.conf import build_settings, get_settings


def test_defaults_when_keys_missing():
    conf = build_settings({})
    assert conf.API_BASE_URL == "https://api.helpscout.net/v2"
    assert conf.token_url == "https://api.helpscout.net/v2/oauth2/token"
    assert conf.RATE_LIMIT_PER_MINUTE == 400
    assert conf.WEBHOOK_MAX_BODY_BYTES == 1024 * 1024
    assert not conf.api_enabled and not conf.webhooks_enabled and not conf.beacon_enabled


def test_token_url_follows_api_base_url_unless_set():
    assert build_settings({"API_BASE_URL": "http://x/v2/"}).token_url == "http://x/v2/oauth2/token"
    assert build_settings({"TOKEN_URL": "http://t/tok"}).token_url == "http://t/tok"


def test_webhook_secret_accepts_string_or_list_for_rotation():
    assert build_settings({"WEBHOOK_SECRET": "a"}).webhook_secrets == ("a",)
    assert build_settings({"WEBHOOK_SECRET": ["new", "old", ""]}).webhook_secrets == ("new", "old")


def test_repr_never_shows_secrets():
    conf = build_settings({"APP_SECRET": "s3cr3t-value", "WEBHOOK_SECRET": "whsec-value"})
    assert "s3cr3t" not in repr(conf) and "whsec" not in repr(conf)


def test_override_settings_is_seen_immediately():
    with override_settings(HELPSCOUT={"APP_ID": "a", "APP_SECRET": "b", "TIMEOUT": 3}):
        assert get_settings().api_enabled and get_settings().TIMEOUT == 3
    assert get_settings().APP_ID != "a"


def test_webhook_retention_default_and_forms():
    from datetime import timedelta

    import pytest

    from helpscout_integration.conf import parse_age

    assert build_settings({}).WEBHOOK_RETENTION == timedelta(days=30)
    assert build_settings({"WEBHOOK_RETENTION": "12h"}).WEBHOOK_RETENTION == timedelta(hours=12)
    assert build_settings({"WEBHOOK_RETENTION": 7}).WEBHOOK_RETENTION == timedelta(days=7)
    assert build_settings({"WEBHOOK_RETENTION": timedelta(weeks=2)}).WEBHOOK_RETENTION == (
        timedelta(days=14)
    )
    # Malformed: the default stays (system check E007 reports it).
    assert build_settings({"WEBHOOK_RETENTION": "soon"}).WEBHOOK_RETENTION == timedelta(days=30)
    assert parse_age("90m") == timedelta(minutes=90)
    assert parse_age("2w") == timedelta(weeks=2)
    for bad in ("0d", "-1d", "soon", True, None):
        with pytest.raises(ValueError):
            parse_age(bad)
