"""Help Scout's error bodies become typed exceptions whose messages never carry a secret."""

from __future__ import annotations

import json
import logging

import httpx
import pytest

from helpscout_integration.client import HelpScoutClient
from helpscout_integration.exceptions import (
    APIError,
    AuthenticationError,
    ConfigurationError,
    ConversationMerged,
    FieldError,
    NotFoundError,
    PermissionDeniedError,
    ServerError,
    ValidationError,
)

from .conftest import API, APP_SECRET, DOCS, DOCS_KEY

VALIDATION_BODY = {
    "logRef": "a1b2c3#1",
    "message": "Bad request",
    "_embedded": {
        "errors": [
            {
                "path": "customer.email",
                "message": "must be a valid email address",
                "rejectedValue": "not-an-email",
                "source": "JSON",
            },
            {"path": "subject", "message": "may not be empty", "source": "JSON"},
        ]
    },
}


def test_validation_body_becomes_validation_error_with_field_errors(client, api):
    api.post(f"{API}/conversations").respond(400, json=VALIDATION_BODY)

    with pytest.raises(ValidationError) as info:
        client.conversations.create({"subject": ""})

    error = info.value
    assert error.status_code == 400
    assert error.log_ref == "a1b2c3#1"
    assert error.errors == [
        FieldError("customer.email", "must be a valid email address", "not-an-email", "JSON"),
        FieldError("subject", "may not be empty", None, "JSON"),
    ]
    assert "customer.email: must be a valid email address" in str(error)
    assert "a1b2c3#1" in str(error)


@pytest.mark.parametrize(
    ("status", "exception"),
    [
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (409, ValidationError),
        (412, ValidationError),
        (413, ValidationError),
        (422, ValidationError),
        (418, APIError),
    ],
)
def test_status_codes_map_to_typed_errors(client, api, status, exception):
    api.get(f"{API}/mailboxes/1").respond(status, json={"message": "No", "logRef": "r"})

    with pytest.raises(exception) as info:
        client.mailboxes.get(1)
    assert info.value.status_code == status
    assert info.value.message == "No"


def test_non_json_error_bodies_are_tolerated(client, api):
    api.get(f"{API}/mailboxes/1").respond(404, text="<html><body>Not here</body></html>")

    with pytest.raises(NotFoundError) as info:
        client.mailboxes.get(1)

    assert info.value.message == "Not Found"
    assert info.value.errors == []


def test_sensitive_rejected_values_are_redacted(client, api):
    body = {
        "message": "Bad request",
        "_embedded": {
            "errors": [{"path": "secret", "message": "too long", "rejectedValue": "x" * 50}]
        },
    }
    api.post(f"{API}/webhooks").respond(400, json=body)

    with pytest.raises(ValidationError) as info:
        client.webhooks.create({"url": "https://x.test", "secret": "x" * 50})

    assert info.value.errors[0].rejected_value == "[redacted]"


def error_messages(client, api) -> list[str]:
    """Provoke one of each failure and collect what a developer would see."""
    secret_body = {"subject": "top secret body text", "password": "hunter2-body"}
    messages = []

    def echo(status):
        # A hostile/buggy server echoing the credentials it was sent.
        def respond(request):
            text = f"{request.headers['Authorization']} {request.content.decode()}"
            return httpx.Response(status, json={"message": f"echo {text}"})

        return respond

    for status in (400, 401, 404, 429, 500):
        api.post(f"{API}/conversations").mock(side_effect=echo(status))
        with pytest.raises(APIError) as info:
            client.conversations.create(secret_body)
        messages.append(str(info.value))
        messages.append(repr(info.value))
    api.post(f"{API}/conversations").mock(side_effect=httpx.ReadTimeout("x"))
    with pytest.raises(Exception) as info:
        client.conversations.create(secret_body)
    messages.append(str(info.value))
    return messages


def test_error_messages_never_contain_token_secret_or_body(make_client, api, token_route):
    client = make_client(max_rate_limit_retries=0)
    messages = error_messages(client, api)

    assert len(messages) == 11
    for message in messages:
        assert APP_SECRET not in message
        assert "token-1" not in message and "token-2" not in message
        assert "Bearer" not in message
        assert "top secret body text" not in message and "hunter2-body" not in message


def test_debug_log_lines_carry_method_path_and_status_only(client, api, caplog):
    api.get(f"{API}/customers").respond(200, json={"_embedded": {"customers": []}})

    with caplog.at_level(logging.DEBUG, logger="helpscout_integration.client"):
        client.customers.find_by_email("ada@example.com")

    lines = [r.getMessage() for r in caplog.records if r.name == "helpscout_integration.client"]
    assert "GET /v2/customers -> 200" in lines
    joined = "\n".join(lines)
    for leak in ("ada@example.com", "token-1", APP_SECRET, "Bearer", "query"):
        assert leak not in joined


def test_docs_key_never_appears_in_docs_errors(client, api):
    api.get(f"{DOCS}/articles/x").mock(
        side_effect=lambda request: httpx.Response(
            401, json={"message": f"bad key {DOCS_KEY} {request.headers['Authorization']}"}
        )
    )

    with pytest.raises(AuthenticationError) as info:
        client.docs.article("x")

    assert DOCS_KEY not in str(info.value)
    assert "Basic" not in str(info.value)


def test_from_settings_without_credentials_raises_configuration_error(settings):
    settings.HELPSCOUT = {"APP_SECRET": APP_SECRET}

    with pytest.raises(ConfigurationError) as info:
        HelpScoutClient.from_settings()

    assert "APP_ID" in str(info.value)
    assert APP_SECRET not in str(info.value)


def test_docs_without_a_key_raises_configuration_error(make_client, api):
    client = make_client(docs_api_key=None)

    with pytest.raises(ConfigurationError, match="DOCS_API_KEY"):
        client.docs.collections()
    with pytest.raises(ConfigurationError, match="DOCS_API_KEY"):
        client.docs.article("abc")


def test_a_docs_only_client_refuses_mailbox_calls_clearly(settings, api):
    settings.HELPSCOUT = {"DOCS_API_KEY": DOCS_KEY}

    with HelpScoutClient.from_settings(require_mailbox_api=False) as client:
        with pytest.raises(ConfigurationError, match="APP_ID"):
            client.conversations.list()


def test_invalid_json_in_a_success_is_an_api_error(client, api):
    api.get(f"{API}/users/me").respond(200, text="{not json")

    with pytest.raises(APIError, match="not JSON"):
        client.users.me()


def test_server_error_for_token_endpoint_is_not_an_applied_write(make_client, api):
    from .conftest import TOKEN_URL

    api.post(TOKEN_URL).respond(503)
    route = api.post(f"{API}/conversations").respond(201, headers={"Resource-ID": "1"})

    with pytest.raises(ServerError) as info:
        make_client(max_retries=0).conversations.create({"subject": "x"})

    assert info.value.may_have_been_applied is False
    assert route.call_count == 0
    assert json.dumps(info.value.message).count(APP_SECRET) == 0


def test_a_301_on_a_conversation_is_a_typed_merge_carrying_the_survivor(client, api):
    """Help Scout answers a merged conversation's Get with 301 + Location of the survivor;
    the client must neither follow it silently nor raise a bare APIError."""
    route = api.get(f"{API}/conversations/41").respond(
        301, headers={"Location": f"{API}/conversations/77"}
    )
    survivor = api.get(f"{API}/conversations/77").respond(200, json={"id": 77})

    with pytest.raises(ConversationMerged) as info:
        client.conversations.get(41)

    assert info.value.conversation_id == 41 and info.value.survivor_id == 77
    assert info.value.status_code == 301
    assert "merged into #77" in str(info.value)
    assert route.call_count == 1 and survivor.call_count == 0  # never followed


def test_a_relative_location_also_names_the_survivor(client, api):
    api.get(f"{API}/conversations/41").respond(
        301, headers={"Location": "/v2/conversations/78?embed=threads"}
    )
    with pytest.raises(ConversationMerged) as info:
        client.conversations.get(41)
    assert info.value.survivor_id == 78


def test_a_301_without_a_usable_location_is_still_a_merge(client, api):
    api.get(f"{API}/conversations/41").respond(301)
    with pytest.raises(ConversationMerged) as info:
        client.conversations.get(41)
    assert info.value.survivor_id is None and "another conversation" in str(info.value)


def test_a_301_elsewhere_is_a_plain_api_error(client, api):
    api.get(f"{API}/mailboxes/3").respond(301, headers={"Location": f"{API}/mailboxes/4"})
    with pytest.raises(APIError) as info:
        client.mailboxes.get(3)
    assert not isinstance(info.value, ConversationMerged) and info.value.status_code == 301
