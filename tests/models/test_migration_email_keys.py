"""Migration 0004 re-keys customer emails earlier versions folded with `str.lower()`."""

from importlib import import_module

import pytest
from django.apps import apps

from helpscout_integration.api.ownership import customer_ids_for
from helpscout_integration.models import Customer

migration = import_module("helpscout_integration.migrations.0004_issue17_email_keys")
KELVIN = "\u212aate@example.com"


def _raw(pk, *emails):
    return {"id": pk, "_embedded": {"emails": [{"value": e} for e in emails]}}


@pytest.mark.django_db
def test_folded_addresses_are_derived_again_from_the_raw_json(django_user_model):
    # What the old parser stored: KELVIN SIGN folded into an ASCII "k".
    Customer.objects.create(
        id=1, email="kate@example.com", emails=["kate@example.com"], data=_raw(1, KELVIN)
    )
    Customer.objects.create(
        id=2,
        email="kate@example.com",
        emails=["kate@example.com"],
        data=_raw(2, "Kate@Example.com"),
    )
    Customer.objects.create(
        id=3, email="x@example.com", emails=["x@example.com"], data={}, is_placeholder=True
    )
    kate = django_user_model.objects.create_user("kate", "kate@example.com")
    assert customer_ids_for(kate) == [1, 2]  # the stale row still pairs her with a stranger

    migration.rekey_customer_emails(apps, None)

    assert Customer.objects.get(pk=1).emails == [KELVIN]
    assert Customer.objects.get(pk=1).email == KELVIN
    assert Customer.objects.get(pk=2).emails == ["kate@example.com"]
    assert Customer.objects.get(pk=3).email == "x@example.com"  # no JSON: left alone
    assert customer_ids_for(kate) == [2]
