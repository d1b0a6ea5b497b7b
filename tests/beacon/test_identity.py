"""Who Beacon is told the visitor is: default identity, host callables, secure mode."""

import hashlib
import hmac

import pytest

from helpscout_integration.beacon.config import build_config
from helpscout_integration.beacon.signature import sign_email

from .conftest import BEACON_ID, SECRET, User

pytestmark = [pytest.mark.usefixtures("beacon_settings"), pytest.mark.django_db]


def test_signature_is_hex_hmac_sha256_of_the_email_keyed_with_the_secret():
    expected = hmac.new(b"key", b"ada@example.com", hashlib.sha256).hexdigest()
    assert sign_email("key", "ada@example.com") == expected
    assert len(expected) == 64


def test_signed_in_user_is_identified_with_name_email_and_signature(make_request):
    config = build_config(make_request(user=User()))
    expected_signature = hmac.new(SECRET.encode(), b"ada@example.com", hashlib.sha256).hexdigest()
    assert config["beaconId"] == BEACON_ID
    assert config["identify"] == {
        "name": "Ada Lovelace",
        "email": "ada@example.com",
        "signature": expected_signature,
    }


def test_non_ascii_email_is_signed_as_utf8(make_request):
    config = build_config(make_request(user=User(email="zoë@exämple.com")))
    expected = hmac.new(SECRET.encode(), "zoë@exämple.com".encode(), hashlib.sha256).hexdigest()
    assert config["identify"]["signature"] == expected


def test_anonymous_visitor_gets_identify_null_and_no_prefill(make_request):
    config = build_config(make_request())
    assert config["identify"] is None
    assert config["prefill"] is None


def test_without_secret_key_identify_has_no_signature(settings, make_request):
    settings.HELPSCOUT = {"BEACON_ID": BEACON_ID}
    config = build_config(make_request(user=User()))
    assert config["identify"] == {"name": "Ada Lovelace", "email": "ada@example.com"}


def test_user_without_email_stays_anonymous(make_request):
    assert build_config(make_request(user=User(email="")))["identify"] is None


def test_no_beacon_id_means_no_config(settings, make_request):
    settings.HELPSCOUT = {"BEACON_SECRET_KEY": SECRET}
    assert build_config(make_request(user=User())) is None


def test_host_identity_callable_adds_company_job_title_avatar_and_attributes(
    settings, make_request
):
    settings.HELPSCOUT = {
        **settings.HELPSCOUT,
        "BEACON_IDENTITY": "tests.beacon.identities.with_company",
    }
    identify = build_config(make_request())["identify"]
    assert identify["company"] == "Analytical Engines Ltd"
    assert identify["jobTitle"] == "Programmer"
    assert identify["avatar"] == "https://example.com/ada.png"
    assert identify["plan"] == "pro"
    assert identify["seats"] == "12"
    assert identify["signature"] == sign_email(SECRET, "ada@example.com")


@pytest.mark.parametrize(
    "path", ["tests.beacon.identities.broken", "tests.beacon.identities.not_a_dict"]
)
def test_a_failing_identity_callable_leaves_the_page_working_and_anonymous(
    settings, make_request, caplog, path
):
    settings.HELPSCOUT = {**settings.HELPSCOUT, "BEACON_IDENTITY": path}
    config = build_config(make_request(user=User()))
    assert config["beaconId"] == BEACON_ID
    assert config["identify"] is None
    assert "BEACON_IDENTITY" in caplog.text


def test_prefill_carries_identity_and_tag_arguments(make_request):
    config = build_config(
        make_request(user=User()),
        prefill_subject="Invoice #12",
        prefill_text="I was charged twice",
        prefill_fields={"123": "Pro plan", 456: 3},
    )
    assert config["prefill"] == {
        "name": "Ada Lovelace",
        "email": "ada@example.com",
        "subject": "Invoice #12",
        "text": "I was charged twice",
        "fields": [{"id": 123, "value": "Pro plan"}, {"id": 456, "value": 3}],
    }
    assert "signature" not in config["prefill"]


def test_prefill_fields_without_numeric_id_are_dropped(make_request, caplog):
    config = build_config(make_request(), prefill_fields=[{"id": "plan", "value": "x"}])
    assert config["prefill"] is None
    assert "numeric id" in caplog.text


def test_the_signature_covers_exactly_the_email_beacon_sends(make_request):
    """Help Scout checks the HMAC against the `email` Beacon sends: signing any other
    spelling (lower-cased, normalised, stripped differently) breaks secure mode or vouches
    for an address the visitor does not send."""
    config = build_config(make_request(user=User(email="Ada.Lovelace@Example.COM")))

    identity = config["identify"]
    assert identity["email"] == "Ada.Lovelace@Example.COM"
    exact = hmac.new(SECRET.encode(), b"Ada.Lovelace@Example.COM", hashlib.sha256).hexdigest()
    assert identity["signature"] == exact
    assert config["prefill"]["email"] == "Ada.Lovelace@Example.COM"
