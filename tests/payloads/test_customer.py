"""parse_customer: all emails kept lower-cased, first is primary; phones; properties."""

from datetime import UTC, datetime

import pytest

from helpscout_integration.exceptions import PayloadError
from helpscout_integration.payloads import parse_customer


def test_documented_customer(load):
    parsed = parse_customer(load("customer"))
    f = parsed.fields
    assert parsed.id == 4321
    assert (f["first_name"], f["last_name"]) == ("Vernon", "Bear")
    # Lower-cased, de-duplicated, in Help Scout's order; the first is the primary.
    assert f["emails"] == ["vbear@mywork.com", "vernon@home.example"]
    assert f["email"] == "vbear@mywork.com"
    assert f["phones"] == [{"value": "222-333-4444", "type": "work"}]
    assert (f["organization_name"], f["job_title"], f["location"]) == (
        "Acme, Inc",
        "CEO",
        "Dallas, TX",
    )
    assert f["properties"] == {"plan-seats": 12}
    assert parsed.hs_updated_at == datetime(2012, 7, 24, 20, 18, 33, tzinfo=UTC)
    assert f["data"]["_embedded"]["address"]["city"] == "Dallas"


def test_webhook_shape_with_top_level_emails(load):
    customer = load("rating_webhook")["customer"]
    parsed = parse_customer(customer)
    assert parsed.fields["emails"] == ["john.doe@gmail.com", "john.doe@example.com"]
    assert parsed.fields["email"] == "john.doe@gmail.com"


def test_customer_without_email_or_dates():
    parsed = parse_customer({"id": 9, "firstName": "Phone", "lastName": "Only"})
    assert parsed.fields["email"] == "" and parsed.fields["emails"] == []
    assert parsed.hs_updated_at is None


@pytest.mark.parametrize("payload", [{"firstName": "x"}, "a@b.c", None])
def test_not_a_customer(payload):
    with pytest.raises(PayloadError, match="customer"):
        parse_customer(payload)


def test_emails_are_kept_as_help_scout_keys_never_unicode_folded():
    parsed = parse_customer(
        {
            "id": 7,
            "_embedded": {
                "emails": [{"value": "Kate@Example.COM"}, {"value": "\u212aate@example.com"}]
            },
        }
    )

    assert parsed.fields["emails"] == ["kate@example.com", "\u212aate@example.com"]
    assert parsed.fields["email"] == "kate@example.com"
