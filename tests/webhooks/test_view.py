"""The webhook endpoint: what it answers, what it stores, what it never stores."""

from __future__ import annotations

import io
import logging

import pytest
from django.test import RequestFactory
from django.urls import reverse

from helpscout_integration.models import Conversation, WebhookEvent
from helpscout_integration.webhooks.signature import compute_signature
from helpscout_integration.webhooks.views import WebhookView

from . import payloads
from .conftest import SECRET, encode

pytestmark = pytest.mark.django_db


def test_valid_delivery_stored_and_processed(deliver):
    body = payloads.conversation(1001, status="pending")
    response = deliver("convo.created", body)
    assert response.status_code == 200
    event = WebhookEvent.objects.get()
    assert response.json() == {"event": event.pk}
    assert event.event_type == "convo.created"
    assert bytes(event.body) == encode(body)
    assert event.signature_valid
    assert event.resource_id == 1001
    assert event.received_at is not None
    # ImmediateBackend in tests: processed right after commit.
    assert event.status == "processed"
    assert Conversation.objects.get(pk=1001).status == "pending"


def test_stored_headers_leave_out_the_signature_and_credentials(deliver):
    response = deliver(
        "convo.created",
        payloads.conversation(),
        headers={"HTTP_AUTHORIZATION": "Bearer abc", "HTTP_COOKIE": "sessionid=x"},
    )
    assert response.status_code == 200
    headers = WebhookEvent.objects.get().headers
    assert headers["X-HelpScout-Event"] == "convo.created"
    assert headers["Content-Type"] == "application/json"
    lowered = {k.lower() for k in headers}
    assert "x-helpscout-signature" not in lowered
    assert "authorization" not in lowered
    assert "cookie" not in lowered
    assert compute_signature(encode(payloads.conversation()), SECRET) not in str(headers)


@pytest.mark.parametrize("signature", [None, "", "bm90IHRoZSBzaWduYXR1cmU=", "garbage"])
def test_missing_or_invalid_signature_401_nothing_stored(deliver, caplog, signature):
    body = payloads.conversation(subject="TOP-SECRET-BODY")
    caplog.set_level(logging.WARNING, logger="helpscout_integration")
    response = deliver("convo.created", body, secret=None, signature=signature)
    assert response.status_code == 401
    assert WebhookEvent.objects.count() == 0
    assert Conversation.objects.count() == 0
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert warnings, "a rejected delivery is logged"
    assert all("TOP-SECRET-BODY" not in r.getMessage() for r in caplog.records)


def test_wrong_secret_401(deliver):
    assert deliver("convo.created", payloads.conversation(), secret="not-it").status_code == 401
    assert not WebhookEvent.objects.exists()


def test_rotated_secrets_accept_old_and_new(deliver, settings):
    settings.HELPSCOUT = {"WEBHOOK_SECRET": ["new-one", SECRET]}
    assert deliver("tag.created", payloads.tag(), secret=SECRET).status_code == 200
    assert deliver("tag.updated", payloads.tag(minutes=1), secret="new-one").status_code == 200
    assert deliver("tag.updated", payloads.tag(minutes=2), secret="gone").status_code == 401
    assert WebhookEvent.objects.count() == 2


def test_signed_but_not_json_400_and_kept_as_failed(deliver):
    response = deliver("convo.created", b"{not json")
    assert response.status_code == 400
    event = WebhookEvent.objects.get()
    assert event.status == "failed"
    assert "not valid JSON" in event.error
    assert bytes(event.body) == b"{not json"
    assert event.signature_valid


def test_signed_json_that_is_not_an_object_400(deliver):
    assert deliver("convo.created", b"[1, 2]").status_code == 400
    assert WebhookEvent.objects.get().status == "failed"


def test_signed_without_event_name_400(deliver):
    assert deliver("", payloads.conversation()).status_code == 400
    event = WebhookEvent.objects.get()
    assert event.status == "failed"
    assert "X-HelpScout-Event" in event.error


@pytest.mark.parametrize("method", ["get", "put", "patch", "delete", "options", "head"])
def test_not_post_405(client, webhook_settings, method):
    response = getattr(client, method)(reverse("helpscout:webhook"))
    assert response.status_code == 405
    assert not WebhookEvent.objects.exists()


def test_body_over_limit_413(deliver, settings):
    settings.HELPSCOUT = {"WEBHOOK_SECRET": [SECRET], "WEBHOOK_MAX_BODY_BYTES": 100}
    body = payloads.conversation()
    assert len(encode(body)) > 100
    assert deliver("convo.created", body).status_code == 413
    assert not WebhookEvent.objects.exists()


class _Unreadable(io.BytesIO):
    """A body stream that fails the test if the view reads a declared-too-large body."""

    def read(self, *args):
        raise AssertionError("the body was read although Content-Length is over the limit")


def test_413_decided_from_content_length_before_reading(webhook_settings):
    request = RequestFactory().post(
        "/", data=b"x", content_type="application/json", HTTP_X_HELPSCOUT_EVENT="convo.created"
    )
    request.META["CONTENT_LENGTH"] = str(10 * 1024 * 1024)
    request.META["wsgi.input"] = _Unreadable()
    request._stream = _Unreadable()
    response = WebhookView.as_view()(request)
    assert response.status_code == 413


def test_413_when_content_length_understates_the_body(webhook_settings, settings):
    """A lying Content-Length cannot smuggle a big body: at most limit+1 bytes are read."""
    settings.HELPSCOUT = {"WEBHOOK_SECRET": [SECRET], "WEBHOOK_MAX_BODY_BYTES": 100}
    big = encode(payloads.conversation())
    request = RequestFactory().post(
        "/",
        data=big,
        content_type="application/json",
        HTTP_X_HELPSCOUT_EVENT="convo.created",
        HTTP_X_HELPSCOUT_SIGNATURE=compute_signature(big, SECRET),
    )
    del request.META["CONTENT_LENGTH"]  # no length: read until the limit, then stop
    reads = []
    stream = request._stream

    class Counting:
        def read(self, size=-1):
            reads.append(size)
            return stream.read(size)

    request._stream = Counting()
    response = WebhookView.as_view()(request)
    assert response.status_code == 413
    assert reads and all(0 <= size <= 101 for size in reads)
    assert not WebhookEvent.objects.exists()


def test_not_configured_503_nothing_stored(client, settings, caplog):
    settings.HELPSCOUT = {}
    body = encode(payloads.conversation())
    response = client.post(
        reverse("helpscout:webhook"),
        data=body,
        content_type="application/json",
        HTTP_X_HELPSCOUT_EVENT="convo.created",
        HTTP_X_HELPSCOUT_SIGNATURE=compute_signature(body, ""),
    )
    assert response.status_code == 503
    assert not WebhookEvent.objects.exists()
    assert "WEBHOOK_SECRET" in caplog.text


def test_works_under_strict_host_defaults(deliver, settings):
    """Host DRF defaults (session auth + CSRF, IsAuthenticated, throttles) do not apply."""
    settings.REST_FRAMEWORK = {
        "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
        "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAdminUser"],
        "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.AnonRateThrottle"],
        "DEFAULT_THROTTLE_RATES": {"anon": "1/day"},
    }
    from django.test import Client

    # DRF reads its defaults into APIView's class attributes at import: the view must
    # set its own, or the host's project-wide defaults would apply to it.
    assert WebhookView.authentication_classes == []
    assert WebhookView.throttle_classes == []
    assert [p.__name__ for p in WebhookView.permission_classes] == ["AllowAny"]
    csrf_client = Client(enforce_csrf_checks=True)
    for minutes in range(3):
        body = encode(payloads.tag(minutes=minutes))
        response = csrf_client.post(
            reverse("helpscout:webhook"),
            data=body,
            content_type="application/json",
            HTTP_X_HELPSCOUT_EVENT="tag.updated",
            HTTP_X_HELPSCOUT_SIGNATURE=compute_signature(body, SECRET),
        )
        assert response.status_code == 200


def test_reencoded_body_is_refused_at_the_endpoint(deliver):
    """A proxy that re-serialises the JSON breaks the signature: 401, nothing stored."""
    import json

    compact = json.dumps(payloads.conversation(), separators=(",", ":")).encode()
    signature = compute_signature(compact, SECRET)
    pretty = json.dumps(json.loads(compact), indent=2).encode()
    assert deliver("convo.created", pretty, signature=signature).status_code == 401
    assert deliver("convo.created", compact, signature=signature).status_code == 200
    assert WebhookEvent.objects.count() == 1


@pytest.mark.parametrize(
    "altered",
    [
        lambda body: body + b"\n",  # a trailing newline added on the way
        lambda body: body.replace(b'", "', b'","'),  # compacted separators
        lambda body: body.replace(b"/", b"\\/"),  # slashes escaped, as PHP does
    ],
    ids=["trailing-newline", "compacted", "escaped-slashes"],
)
def test_a_signature_over_other_bytes_of_the_same_json_stores_nothing(deliver, altered):
    """The signature holds for the bytes Help Scout sent, not for their JSON meaning:
    equal-when-parsed bodies with another byte sequence are refused and never stored."""
    import json

    sent = json.dumps(payloads.conversation(subject="Order a/b")).encode()
    received = altered(sent)
    assert received != sent and json.loads(received) == json.loads(sent)
    response = deliver("convo.created", received, signature=compute_signature(sent, SECRET))
    assert response.status_code == 401
    assert not WebhookEvent.objects.exists()
    assert not Conversation.objects.exists()


@pytest.mark.parametrize(
    "body,reason",
    [
        (b"[" * 1000 + b"]" * 1000, "nested deeper"),
        (b'{"id": 1, "x":' + b"[" * 1000 + b"]" * 1000 + b"}", "nested deeper"),
        (b'{"id": 1001, "subject": "\\udc80"}', "surrogate"),
        (b'{"id": 18446744073709551616}', "64 bits"),
    ],
)
def test_signed_json_the_mirror_cannot_store_400_and_kept_as_failed(deliver, body, reason):
    response = deliver("convo.created", body)
    assert response.status_code == 400
    event = WebhookEvent.objects.get()
    assert event.status == "failed"
    assert reason in event.error
    assert bytes(event.body) == body
    assert Conversation.objects.count() == 0


def test_a_body_nested_just_past_the_limit_is_400_and_kept_as_failed(deliver):
    """Nesting the decoder itself copes with (no RecursionError) but deeper than
    MAX_DEPTH levels is refused after parsing, before anything is mirrored."""
    from helpscout_integration.webhooks.strict_json import MAX_DEPTH

    levels = MAX_DEPTH  # plus the outer object: one level too many
    body = b'{"id": 1001, "x": ' + b'{"a": ' * levels + b"1" + b"}" * levels + b"}"
    response = deliver("convo.created", body)
    assert response.status_code == 400
    event = WebhookEvent.objects.get()
    assert event.status == "failed" and "nested deeper" in event.error
    assert Conversation.objects.count() == 0
