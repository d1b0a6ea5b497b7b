"""Fixtures for the webhook tests: a configured secret and a signed-delivery helper."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from helpscout_integration.webhooks.signature import compute_signature

SECRET = "webhook-secret-1"


@pytest.fixture
def webhook_settings(settings):
    """Webhooks on, Help Scout's API off (so nothing tries to reach it)."""
    settings.HELPSCOUT = {"WEBHOOK_SECRET": [SECRET], "WEBHOOK_MAX_BODY_BYTES": 64 * 1024}
    return settings


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
