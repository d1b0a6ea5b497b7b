"""Signed App platform URLs never reach the access log with their signature."""

import logging

import pytest
from django.test import Client
from django.urls import reverse

from helpscout_integration.log_redaction import RedactSignedUrls, redact

SIGNATURE = "q1w2e3r4t5y6u7i8o9p0AbCdEfG%2BhI%3D"


def test_the_signature_value_is_redacted_wherever_it_sits():
    line = (
        "GET /helpscout/app/content/?conversation-id=10"
        f"&X-HelpScout-Signature={SIGNATURE}&customer-id=5 HTTP/1.1"
    )
    assert redact(line) == (
        "GET /helpscout/app/content/?conversation-id=10&X-HelpScout-Signature=[redacted]"
        "&customer-id=5 HTTP/1.1"
    )
    assert SIGNATURE not in redact(f"/app/panel/?x-helpscout-signature={SIGNATURE}")
    assert SIGNATURE not in redact(f"/app/panel/?X%2DHelpScout%2DSignature={SIGNATURE}")
    assert redact("/app/panel/?conversation-id=10") == "/app/panel/?conversation-id=10"


def test_runservers_access_log_line_carries_no_signature(caplog):
    """What `manage.py runserver` logs per request (`django.server`), with the filter the
    app installs at start-up."""
    request_line = (
        f"GET /helpscout/app/content/?customer-id=5&X-HelpScout-Signature={SIGNATURE} HTTP/1.1"
    )
    with caplog.at_level(logging.INFO, logger="django.server"):
        logging.getLogger("django.server").info('"%s" %s %s', request_line, "200", "512")

    assert caplog.messages and SIGNATURE not in caplog.text
    assert "customer-id=5&X-HelpScout-Signature=[redacted]" in caplog.text


def test_gunicorns_access_log_atoms_carry_no_signature(caplog):
    """gunicorn logs `access_log_format % atoms` with the request line and query string
    as dict values."""
    atoms = {"r": f"GET /helpscout/app/panel/?X-HelpScout-Signature={SIGNATURE} HTTP/1.1",
             "q": f"X-HelpScout-Signature={SIGNATURE}", "s": "200"}  # fmt: skip
    with caplog.at_level(logging.INFO, logger="gunicorn.access"):
        logging.getLogger("gunicorn.access").info('"%(r)s" %(s)s %(q)s', atoms)

    assert caplog.messages and SIGNATURE not in caplog.text


def test_the_filter_can_be_named_in_logging_settings():
    url = f"/app/?X-HelpScout-Signature={SIGNATURE}"
    record = logging.LogRecord("uvicorn.access", logging.INFO, __file__, 1, "%s", (url,), None)
    assert RedactSignedUrls().filter(record) is True
    assert SIGNATURE not in record.getMessage()


@pytest.mark.django_db
def test_a_rejected_signed_request_logs_no_signature(settings, caplog):
    settings.HELPSCOUT = {"APP_PLATFORM_SECRET": "platform-secret-1"}
    with caplog.at_level(logging.DEBUG):
        Client().get(
            f"{reverse('helpscout:app-content')}?customer-id=5&X-HelpScout-Signature={SIGNATURE}"
        )
    assert SIGNATURE not in caplog.text and "q1w2e3r4" not in caplog.text
