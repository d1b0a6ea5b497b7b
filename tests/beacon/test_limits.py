"""Identities are kept within Beacon's limits: trimmed or dropped, logged, never an error."""

import logging

from helpscout_integration.beacon.limits import (
    MAX_ATTRIBUTE_VALUE,
    MAX_ATTRIBUTES,
    MAX_COMPANY,
    MAX_NAME,
    normalize_identity,
)

BASE = {"name": "Ada", "email": "ada@example.com"}


def test_long_name_company_and_job_title_are_trimmed_with_a_warning(caplog):
    caplog.set_level(logging.WARNING)
    result = normalize_identity(
        {**BASE, "name": "N" * 200, "company": "C" * 200, "jobTitle": "J" * 61}
    )
    assert result["name"] == "N" * MAX_NAME
    assert result["company"] == "C" * MAX_COMPANY
    assert len(result["jobTitle"]) == 60
    assert "name trimmed" in caplog.text and "company trimmed" in caplog.text


def test_avatar_must_be_a_short_http_url(caplog):
    assert "avatar" not in normalize_identity({**BASE, "avatar": "javascript:alert(1)"})
    assert "avatar" not in normalize_identity({**BASE, "avatar": "https://x.io/" + "a" * 200})
    assert normalize_identity({**BASE, "avatar": "https://x.io/a.png"})["avatar"]
    assert "avatar dropped" in caplog.text


def test_at_most_30_custom_attributes_are_kept_in_the_order_given(caplog):
    attributes = {f"attr{i:02d}": str(i) for i in range(40)}
    result = normalize_identity({**BASE, **attributes})
    kept = [k for k in result if k.startswith("attr")]
    assert kept == [f"attr{i:02d}" for i in range(MAX_ATTRIBUTES)]
    assert "more than 30 attributes" in caplog.text


def test_attribute_values_are_trimmed_and_keys_lowercased():
    result = normalize_identity({**BASE, "Plan": "p" * 1000, "trial": True, "mrr": 9.5})
    assert result["plan"] == "p" * MAX_ATTRIBUTE_VALUE
    assert result["trial"] == "true"
    assert result["mrr"] == "9.5"


def test_invalid_keys_and_nested_values_are_dropped_without_logging_values(caplog):
    result = normalize_identity(
        {**BASE, "bad key!": "x", "nested": {"secret": "hunter2"}, "list": ["a"]}
    )
    assert set(result) == {"name", "email"}
    assert "hunter2" not in caplog.text


def test_identity_without_a_usable_email_is_anonymous():
    assert normalize_identity({"name": "Ada"}) is None
    assert normalize_identity({"name": "Ada", "email": "not-an-email"}) is None
    assert normalize_identity({"name": "Ada", "email": ["ada@example.com"]}) is None


def test_a_host_cannot_inject_its_own_signature():
    result = normalize_identity({**BASE, "signature": "forged"})
    assert "signature" not in result
