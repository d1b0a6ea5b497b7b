"""Fixtures for the webhook tests: a configured secret and a signed-delivery helper."""

from __future__ import annotations

import json
import os

import pytest
import respx
from django.urls import reverse

from helpscout_integration.webhooks.signature import compute_signature

SECRET = "webhook-secret-1"


@pytest.fixture
def webhook_settings(settings):
    """Webhooks on, Help Scout's API off (so nothing tries to reach it)."""
    settings.HELPSCOUT = {"WEBHOOK_SECRET": [SECRET], "WEBHOOK_MAX_BODY_BYTES": 64 * 1024}
    return settings


API = "https://api.helpscout.test/v2"


@pytest.fixture
def api_settings(webhook_settings):
    """Webhooks and Help Scout's API on, the API mocked (respx): routes are the test's."""
    webhook_settings.HELPSCOUT = {
        "WEBHOOK_SECRET": [SECRET],
        "APP_ID": "app-id",
        "APP_SECRET": "app-secret",
        "API_BASE_URL": API,
    }
    with respx.mock(assert_all_mocked=True, assert_all_called=False) as router:
        router.post(f"{API}/oauth2/token").respond(
            200, json={"token_type": "bearer", "access_token": "t", "expires_in": 7200}
        )
        yield router


def encode(payload) -> bytes:
    return payload if isinstance(payload, bytes) else json.dumps(payload).encode()


@pytest.fixture
def deliver(client, webhook_settings, django_capture_on_commit_callbacks):
    """POST a delivery the way Help Scout does: raw JSON, event header, signature.

    The test's transaction never commits, so on-commit callbacks (the enqueue) run as
    they would after a real commit, unless `commit=False`.
    """

    def post(event_type, payload, *, secret=SECRET, signature=None, headers=None, commit=True):
        body = encode(payload)
        extra = {"HTTP_X_HELPSCOUT_EVENT": event_type}
        if signature is None and secret is not None:
            signature = compute_signature(body, secret)
        if signature is not None:
            extra["HTTP_X_HELPSCOUT_SIGNATURE"] = signature
        extra.update(headers or {})
        with django_capture_on_commit_callbacks(execute=commit):
            return client.post(
                reverse("helpscout:webhook"), data=body, content_type="application/json", **extra
            )

    return post


def pytest_collection_modifyitems(config, items):
    """Deselect `@pytest.mark.redis` tests unless asked for (`-m redis`) or REDIS_URL is set.

    Deselected, not skipped: a plain `make test` does not claim to have run them. Under
    `-m redis` without REDIS_URL they run and fail loudly (see test_redis_rq.py).
    """
    if os.environ.get("REDIS_URL") or "redis" in (config.option.markexpr or ""):
        return
    kept, dropped = [], []
    for item in items:
        (dropped if item.get_closest_marker("redis") else kept).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept
