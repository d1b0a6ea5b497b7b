"""`helpscout_webhook register/list/delete` against a mocked Help Scout API."""

from __future__ import annotations

import json

import pytest
import respx
from django.core.management import call_command
from django.core.management.base import CommandError

from helpscout_integration.webhooks.handlers import HANDLERS

API = "https://api.helpscout.test/v2"
SECRET = "rotating-secret-0123456789"


@pytest.fixture
def api(settings):
    settings.HELPSCOUT = {
        "APP_ID": "app-id",
        "APP_SECRET": "app-secret",
        "API_BASE_URL": API,
        "WEBHOOK_SECRET": [SECRET, "older-secret"],
    }
    with respx.mock(assert_all_mocked=True, assert_all_called=False) as router:
        router.post(f"{API}/oauth2/token").respond(
            200, json={"token_type": "bearer", "access_token": "t", "expires_in": 7200}
        )
        yield router


def run(*args) -> tuple[str, str]:
    from io import StringIO

    out, err = StringIO(), StringIO()
    call_command("helpscout_webhook", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_register_sends_first_secret_and_every_event_never_prints_it(api):
    route = api.post(f"{API}/webhooks").respond(
        201, headers={"Resource-ID": "77", "Location": f"{API}/webhooks/77"}
    )
    out, err = run("register", "https://example.com/helpscout/webhook/", "--label", "prod")
    body = json.loads(route.calls.last.request.content)
    assert body["url"] == "https://example.com/helpscout/webhook/"
    assert body["secret"] == SECRET
    assert sorted(body["events"]) == sorted(HANDLERS)
    assert body["payloadVersion"] == "V2"
    assert body["label"] == "prod"
    assert "Registered webhook 77" in out
    assert SECRET not in out + err


def test_register_selected_events_and_mailboxes(api):
    route = api.post(f"{API}/webhooks").respond(201, headers={"Resource-ID": "78"})
    run(
        "register",
        "https://example.com/hook/",
        "--events",
        "convo.created",
        "convo.deleted",
        "--mailbox",
        "85",
    )
    body = json.loads(route.calls.last.request.content)
    assert body["events"] == ["convo.created", "convo.deleted"]
    assert body["mailboxIds"] == [85]


def test_register_refuses_a_secret_help_scout_would_reject(api, settings):
    long_secret = "x" * 41
    settings.HELPSCOUT = {**settings.HELPSCOUT, "WEBHOOK_SECRET": long_secret}
    with pytest.raises(CommandError) as excinfo:
        run("register", "https://example.com/hook/")
    assert "41 characters" in str(excinfo.value)
    assert long_secret not in str(excinfo.value)


def test_register_needs_a_secret(api, settings):
    settings.HELPSCOUT = {**settings.HELPSCOUT, "WEBHOOK_SECRET": ""}
    with pytest.raises(CommandError, match="WEBHOOK_SECRET"):
        run("register", "https://example.com/hook/")


def test_register_error_does_not_echo_the_secret(api):
    api.post(f"{API}/webhooks").respond(
        400,
        json={
            "message": "Bad request",
            "logRef": "abc",
            "_embedded": {
                "errors": [{"path": "secret", "message": "bad", "rejectedValue": SECRET}]
            },
        },
    )
    with pytest.raises(CommandError) as excinfo:
        run("register", "https://example.com/hook/")
    assert SECRET not in str(excinfo.value)


def test_list_and_delete(api):
    api.get(f"{API}/webhooks").respond(
        200,
        json={
            "_embedded": {
                "webhooks": [
                    {
                        "id": 77,
                        "url": "https://example.com/hook/",
                        "state": "enabled",
                        "events": ["convo.created"],
                        "secret": SECRET,
                        "label": "prod",
                    }
                ]
            },
            "page": {"size": 50, "totalElements": 1, "totalPages": 1, "number": 1},
        },
    )
    out, _ = run("list")
    assert "77" in out and "https://example.com/hook/" in out and "convo.created" in out
    assert SECRET not in out
    route = api.delete(f"{API}/webhooks/77").respond(204)
    out, _ = run("delete", "77")
    assert route.called
    assert "Deleted webhook 77" in out
