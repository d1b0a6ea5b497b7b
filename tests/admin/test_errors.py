"""What staff see when Help Scout cannot be used: clear reasons, typed text kept."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from helpscout_integration.admin.operations import (
    HEADLINES,
    NOT_SENT,
    REFUSED,
    UNKNOWN,
    ActionError,
    describe_error,
    outcome_of,
)
from helpscout_integration.exceptions import (
    ConfigurationError,
    FieldError,
    NetworkError,
    NotFoundError,
    RateLimitedError,
    ServerError,
    ValidationError,
)
from helpscout_integration.models import Conversation, Thread

pytestmark = pytest.mark.django_db


def _post_note(mirror, staff_user, text="Keep me"):
    conv = mirror.conversation(threads=[{"type": "customer", "body": "hi"}])
    client = Client()
    client.force_login(
        staff_user("view_conversation", "note_conversation", email="ada@example.com")
    )
    url = reverse("admin:helpscout_integration_conversation_note", args=[conv.pk])
    return conv, client.post(url, {"note-text": text})


def test_unconfigured_api_is_explained(mirror, staff_user, settings):
    settings.HELPSCOUT = {}
    conv, response = _post_note(mirror, staff_user)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Help Scout is not configured" in page and "APP_ID" in page
    assert "Keep me</textarea>" in page
    assert Thread.objects.filter(conversation=conv).count() == 1


def test_unreachable_help_scout_changes_nothing(mirror, staff_user, settings):
    # Port 9 (discard) on localhost: connection refused, nothing listens there.
    settings.HELPSCOUT = {
        "APP_ID": "id", "APP_SECRET": "secret",
        "API_BASE_URL": "http://127.0.0.1:9/v2", "TIMEOUT": 2,
    }  # fmt: skip
    conv, response = _post_note(mirror, staff_user)
    page = response.content.decode()
    assert response.status_code == 200
    # Connection refused: nothing was sent, and the page says exactly that, nothing else.
    assert "Not sent: this was stopped here and nothing reached Help Scout." in page
    assert "could not be reached" in page
    assert "refused it" not in page and "Unknown whether" not in page
    assert "Keep me</textarea>" in page
    assert Thread.objects.filter(conversation=conv).count() == 1
    assert Conversation.objects.get(pk=conv.pk).status == "active"


def test_messages_carry_help_scouts_reason_and_never_a_secret():
    refused = ValidationError(
        "Validation error", status_code=400, log_ref="ref-1",
        errors=[FieldError(path="text", message="may not be empty")],
    )  # fmt: skip
    assert describe_error(refused) == (
        "Help Scout refused the request: Validation error (text: may not be empty)"
    )
    assert "logRef ref-9" in describe_error(ServerError("boom", status_code=502, log_ref="ref-9"))
    assert "in 42 s" in describe_error(RateLimitedError("slow", retry_after=42))
    assert "deleted or merged" in describe_error(NotFoundError("gone", status_code=404))
    assert "dropped after the request was sent" in describe_error(
        NetworkError("reset", may_have_been_applied=True)
    )
    assert describe_error(NetworkError("refused")) == "Help Scout could not be reached."


@pytest.mark.parametrize(
    ("exc", "outcome", "headline"),
    [
        (ConfigurationError("no APP_ID"), NOT_SENT, "Not sent"),
        (NetworkError("refused"), NOT_SENT, "Not sent"),
        (ValidationError("bad", status_code=400), REFUSED, "Help Scout refused it"),
        (RateLimitedError("slow", status_code=429), REFUSED, "Help Scout refused it"),
        (NetworkError("reset", may_have_been_applied=True), UNKNOWN, "Unknown whether"),
        (ServerError("boom", status_code=502, may_have_been_applied=True), UNKNOWN, "Unknown"),
    ],
)
def test_each_failure_says_one_true_thing(exc, outcome, headline):
    error = ActionError(describe_error(exc), outcome=outcome_of(exc))
    assert error.outcome == outcome and error.headline.startswith(headline)
    others = [str(text) for key, text in HEADLINES.items() if key != outcome]
    assert not any(other in error.headline for other in others)
    if outcome != UNKNOWN:  # only an unknown outcome asks to check before retrying
        assert "Check the conversation" not in error.headline + error.message
