"""The signature check: Help Scout's base64 HMAC-SHA1 over the raw bytes, nothing else."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json

from hypothesis import given
from hypothesis import strategies as st

from helpscout_integration.webhooks.signature import compute_signature, verify_signature

BODY = b'{"id":1001,"status":"active","subject":"I need help!"}'


def reference_signature(body: bytes, secret: str) -> str:
    """Help Scout's documented recipe, written out independently of the module."""
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha1).digest()).decode()


def test_compute_matches_helpscout_recipe():
    assert compute_signature(BODY, "s3cret") == reference_signature(BODY, "s3cret")


def test_valid_signature_accepted():
    assert verify_signature(BODY, reference_signature(BODY, "s3cret"), ["s3cret"])


def test_single_secret_string_accepted():
    assert verify_signature(BODY, reference_signature(BODY, "s3cret"), "s3cret")


def test_missing_signature_refused():
    assert not verify_signature(BODY, None, ["s3cret"])
    assert not verify_signature(BODY, "", ["s3cret"])


def test_wrong_secret_refused():
    assert not verify_signature(BODY, reference_signature(BODY, "other"), ["s3cret"])


def test_garbage_header_refused():
    for header in ("not base64!", "AAAA", "é" * 28, reference_signature(BODY, "s3cret")[:-4]):
        assert not verify_signature(BODY, header, ["s3cret"])


def test_hex_digest_refused():
    """Only Help Scout's base64 encoding counts, not the hex form of the same HMAC."""
    hex_form = hmac.new(b"s3cret", BODY, hashlib.sha1).hexdigest()
    assert not verify_signature(BODY, hex_form, ["s3cret"])


def test_no_secret_verifies_nothing():
    signature = reference_signature(BODY, "")
    assert not verify_signature(BODY, signature, [])
    assert not verify_signature(BODY, signature, [""])


def test_rotated_secrets_both_accepted():
    secrets = ["new-secret", "old-secret"]
    assert verify_signature(BODY, reference_signature(BODY, "old-secret"), secrets)
    assert verify_signature(BODY, reference_signature(BODY, "new-secret"), secrets)
    assert not verify_signature(BODY, reference_signature(BODY, "retired"), secrets)


def test_reencoded_body_refused():
    """Same JSON, different bytes (whitespace, key order): the signature no longer holds."""
    signature = reference_signature(BODY, "s3cret")
    data = json.loads(BODY)
    for other in (
        json.dumps(data).encode(),  # ", " and ": " separators
        json.dumps(data, indent=2).encode(),
        json.dumps(dict(reversed(list(data.items()))), separators=(",", ":")).encode(),
        BODY + b"\n",
    ):
        assert other != BODY
        assert not verify_signature(other, signature, ["s3cret"])


def test_surrounding_whitespace_in_header_tolerated():
    assert verify_signature(BODY, " " + reference_signature(BODY, "s3cret") + "\n", ["s3cret"])


@given(body=st.binary(max_size=512), forged=st.binary(max_size=512), secret=st.text(min_size=1))
def test_never_accepts_a_forged_body(body, forged, secret):
    """A signature made for one body never verifies a different body."""
    signature = compute_signature(body, secret)
    assert verify_signature(body, signature, [secret])
    if forged != body:
        assert not verify_signature(forged, signature, [secret])


@given(body=st.binary(max_size=256), header=st.one_of(st.none(), st.text(max_size=64)))
def test_never_accepts_a_header_not_made_with_the_secret(body, header):
    """Arbitrary headers only verify if they happen to equal the real signature."""
    secret = "fuzz-secret"
    expected = compute_signature(body, secret)
    accepted = verify_signature(body, header, [secret])
    assert accepted == (header is not None and header.strip() == expected)


@given(body=st.binary(max_size=256), secret=st.text(min_size=1), other=st.text(min_size=1))
def test_never_accepts_another_secrets_signature(body, secret, other):
    # HMAC pads keys with zero bytes, so "k" and "k\0" are the same key by design.
    if secret.encode().rstrip(b"\0") != other.encode().rstrip(b"\0"):
        assert not verify_signature(body, compute_signature(body, other), [secret])
