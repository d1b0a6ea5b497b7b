"""Attachments become Help Scout's attachment objects; the host's session auth applies."""

import base64
import json

import pytest
import respx
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from helpscout_integration.api.conversations import open_conversation

BASE = "https://hs.test/v2"


@pytest.fixture
def fake_help_scout(settings):
    settings.HELPSCOUT = {
        "APP_ID": "a",
        "APP_SECRET": "b",
        "API_BASE_URL": BASE,
        "DEFAULT_MAILBOX_ID": 5,
    }
    with respx.mock(assert_all_called=False) as mock:
        mock.post(f"{BASE}/oauth2/token").respond(
            json={"access_token": "t", "token_type": "bearer", "expires_in": 7200}
        )
        mock.post(f"{BASE}/conversations").respond(
            201, headers={"Resource-ID": "321", "Location": f"{BASE}/conversations/321"}
        )
        mock.get(f"{BASE}/conversations/321").respond(404, json={"message": "not yet"})
        yield mock


@pytest.mark.django_db
def test_uploaded_files_are_sent_base64_with_name_and_type(fake_help_scout, make_user):
    upload = SimpleUploadedFile("trace.log", b"line 1\nline 2", content_type="text/plain")

    conversation_id = open_conversation(make_user("ada"), "S", "T", attachments=[upload])

    assert conversation_id == 321  # from the 201's headers, the body is empty
    body = json.loads(fake_help_scout.calls[1].request.content)
    assert body["threads"][0]["attachments"] == [
        {
            "fileName": "trace.log",
            "mimeType": "text/plain",
            "data": base64.b64encode(b"line 1\nline 2").decode(),
        }
    ]
    assert body["customer"] == {"email": "ada@example.com"} and body["mailboxId"] == 5


@pytest.mark.django_db
def test_attachments_over_10_mb_are_refused_before_any_request(fake_help_scout, make_user):
    big = {
        "fileName": "big.bin",
        "mimeType": "application/octet-stream",
        "data": base64.b64encode(b"0" * (10 * 1024 * 1024 + 3)).decode(),
    }
    with pytest.raises(ValueError, match="10 MB"):
        open_conversation(make_user("ada"), "S", "T", attachments=[big])
    assert not fake_help_scout.calls


@pytest.mark.django_db
def test_a_mirror_refresh_failure_still_returns_the_new_id(fake_help_scout, make_user):
    assert open_conversation(make_user("ada"), "S", "T") == 321


@pytest.mark.django_db
def test_session_auth_needs_the_csrf_token_for_writes(make_user):
    make_user("ada")
    api = APIClient(enforce_csrf_checks=True)
    api.login(username="ada", password="pw")

    assert api.get(reverse("helpscout:my-conversation-list")).status_code == 200
    response = api.post(reverse("helpscout:my-conversation-list"), {"subject": "S", "text": "T"})
    assert response.status_code == 403 and "CSRF" in response.data["detail"]
