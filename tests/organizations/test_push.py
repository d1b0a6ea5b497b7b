"""Pushing a product account as a Help Scout organization: created once, found again,
read-modify-write around the full-replace PUT, properties as strings, customers linked."""

from __future__ import annotations

from datetime import date

import pytest

from helpscout_integration.client import HelpScoutClient
from helpscout_integration.models import AccountOrganization, Customer, Organization
from helpscout_integration.organizations import OrganizationPusher, push_organization_now
from helpscout_integration.sandbox.organizations import OrganizationBook

from .accounts import ACCOUNT_FIELDS

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.helpscout_sandbox(rate_limit_per_minute=None, write_burst=None),
]

ACME = {
    "name": "Acme",
    "domains": ["acme.test"],
    "website": "https://acme.test",
    "location": "us",
    "properties": {
        "plan": "Enterprise",
        "seats": 120,
        "renewal": date(2025, 3, 1),
        "crm": "https://crm.example/acme",
        "trial": False,
    },
}


def _api_writes(sb):
    return [r for r in sb.request_log if r[0] != "GET" and not r[1].endswith("/oauth2/token")]


def _org(sb, org_id):
    book = OrganizationBook(sb.store)
    return book.items[org_id]


def test_first_push_creates_the_organization_definitions_and_the_customer(
    org_settings, make_member
):
    ACCOUNT_FIELDS["Acme"] = ACME
    ada = make_member("ada", "Acme", first_name="Ada")
    result = push_organization_now(ada)

    assert result.ok, result.summary()
    assert result.created and result.organization_id
    org = _org(org_settings, result.organization_id)
    assert (org.name, org.domains, org.location) == ("Acme", ["acme.test"], "US")
    assert org.properties == {
        "plan": "Enterprise",
        "seats": "120",
        "renewal": "2025-03-01",
        "crm": "https://crm.example/acme",
        "trial": "No",
    }
    types = {d.slug: d.type for d in org_settings.store.organization_properties.values()}
    assert types == {
        "plan": "text",
        "seats": "number",
        "renewal": "date",
        "crm": "url",
        "trial": "dropdown",
    }
    customer = org_settings.store.customer_by_email("ada@example.com")
    assert customer.organization_id == org.id and customer.first_name == "Ada"
    mapping = AccountOrganization.objects.get()
    assert mapping.organization_id == org.id
    assert Organization.objects.filter(pk=org.id).exists()


def test_a_second_push_writes_nothing_when_nothing_changed(org_settings, make_member):
    ACCOUNT_FIELDS["Acme"] = ACME
    ada = make_member("ada", "Acme")
    push_organization_now(ada)
    org_settings.request_log.clear()

    result = push_organization_now(ada)

    assert result.ok and not result.created and not result.pushed
    assert _api_writes(org_settings) == []


def test_agent_edits_survive_the_full_replace_put(org_settings, make_member):
    ACCOUNT_FIELDS["Acme"] = {**ACME, "properties": {"seats": 10}}
    ada = make_member("ada", "Acme")
    org_id = push_organization_now(ada).organization_id
    book = OrganizationBook(org_settings.store)
    # An agent edits in Help Scout: a note, a brand colour, an extra domain, a property.
    book.replace(
        org_id,
        {
            "name": "Acme",
            "website": "https://acme.test",
            "location": "US",
            "note": "Call before renewal",
            "brandColor": "#ff6600",
            "domains": ["acme.test", "acme-eu.test"],
        },
    )
    book.define({"type": "text", "slug": "owner", "name": "Owner"})
    book.set_value(org_id, "owner", "Ben")
    # The product changes the name, its domain and the seats.
    ACCOUNT_FIELDS["Acme"] = {
        **ACME,
        "name": "Acme Inc",
        "domains": ["acme.com"],
        "properties": {"seats": 12},
    }

    result = push_organization_now(ada)

    assert result.ok and result.updated_fields
    org = _org(org_settings, org_id)
    assert org.name == "Acme Inc"
    assert (org.note, org.brand_color) == ("Call before renewal", "#ff6600")
    assert org.domains == ["acme-eu.test", "acme.com"]  # ours replaced, the agent's kept
    assert org.properties == {"seats": "12", "owner": "Ben"}


def test_a_lost_mapping_finds_the_organization_again_by_domain(org_settings, make_member):
    ACCOUNT_FIELDS["Acme"] = ACME
    ada = make_member("ada", "Acme")
    first = push_organization_now(ada).organization_id
    AccountOrganization.objects.all().delete()
    Organization.objects.all().delete()

    result = push_organization_now(ada)

    assert result.found_again and not result.created
    assert result.organization_id == first
    assert len(org_settings.store.organizations) == 1


def test_an_organization_deleted_in_help_scout_is_created_again(org_settings, make_member):
    ACCOUNT_FIELDS["Acme"] = ACME
    ada = make_member("ada", "Acme")
    first = push_organization_now(ada).organization_id
    OrganizationBook(org_settings.store).delete(first)

    result = push_organization_now(ada)

    assert result.created and result.organization_id != first
    assert AccountOrganization.objects.get().organization_id == result.organization_id


def test_values_help_scout_would_refuse_are_reported_not_sent(org_settings, make_member):
    book = OrganizationBook(org_settings.store)
    book.define({"type": "dropdown", "slug": "plan", "name": "Plan", "options": [{"label": "Pro"}]})
    ACCOUNT_FIELDS["Acme"] = {"name": "Acme", "properties": {"plan": "pro", "seats": "lots"}}
    book.define({"type": "number", "slug": "seats", "name": "Seats"})

    result = push_organization_now(make_member("ada", "Acme"))

    assert result.pushed == {"plan": "Pro"}  # the exact label Help Scout wants
    assert set(result.invalid) == {"seats"} and "number" in result.invalid["seats"]
    assert "lots" not in result.summary()  # no product values in logs or summaries


def test_the_fifty_definition_limit_is_a_clear_error(org_settings, make_member):
    book = OrganizationBook(org_settings.store)
    for n in range(50):
        book.define({"type": "text", "slug": f"p{n}", "name": f"P{n}"})
    ACCOUNT_FIELDS["Acme"] = {"name": "Acme", "properties": {"p1": "x", "brand-new": "y"}}

    result = push_organization_now(make_member("ada", "Acme"))

    assert result.pushed == {"p1": "x"}
    assert "at most 50" in result.invalid["brand-new"]


def test_bad_account_fields_fail_the_account_with_a_clear_error(org_settings, make_member):
    ACCOUNT_FIELDS["Acme"] = {"name": "Acme", "location": "France"}
    result = push_organization_now(make_member("ada", "Acme"))
    assert "two-letter country code" in result.error
    assert org_settings.store.organizations == {}


def test_an_existing_customer_is_linked_and_mirrored(org_settings, make_member):
    ACCOUNT_FIELDS["Acme"] = ACME
    existing = org_settings.store.add_customer("Ada", "L", ["ada@example.com"])
    Customer.objects.create(id=existing.id, email="ada@example.com")

    result = push_organization_now(make_member("ada", "Acme"))

    assert result.linked_customers == [existing.id] and result.created_customers == 0
    assert existing.organization_id == result.organization_id
    assert Customer.objects.get(pk=existing.id).organization_id == result.organization_id


def test_dry_run_writes_nothing_and_says_what_it_would_do(org_settings, make_member):
    ACCOUNT_FIELDS["Acme"] = ACME
    ada = make_member("ada", "Acme")
    with HelpScoutClient.from_settings() as client:
        result = OrganizationPusher(client, dry_run=True).push(ada.groups.get(), [ada])
    assert "create organization 'Acme'" in result.planned
    assert org_settings.store.organizations == {}
    assert not AccountOrganization.objects.exists()
    assert _api_writes(org_settings) == []


def test_a_user_without_an_account_is_skipped(org_settings, django_user_model):
    user = django_user_model.objects.create_user("solo", "solo@example.com")
    assert push_organization_now(user) is None


def test_the_queued_task_pushes_the_users_account(org_settings, make_member, django_user_model):
    from helpscout_integration.organizations import push_organization

    ACCOUNT_FIELDS["Acme"] = {"name": "Acme"}
    handle = push_organization(make_member("ada", "Acme"))  # ImmediateBackend: runs inline
    org_id = handle.return_value["organization_id"]
    assert org_id and org_settings.store.organizations[org_id].name == "Acme"

    solo = django_user_model.objects.create_user("solo", "solo@example.com")
    assert push_organization(solo).return_value["error"] == "the user has no account"
