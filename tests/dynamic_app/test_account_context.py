"""The sidebar context carries the user's account and organization; a DYNAMIC_APP_CONTEXT
callable receives them when it takes them, and two-argument callables keep working."""

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType

from helpscout_integration.dynamic_app.context import sidebar_context
from helpscout_integration.dynamic_app.request import SidebarRequest
from helpscout_integration.models import AccountOrganization, Customer, Organization

P = "tests.dynamic_app.producers."

pytestmark = pytest.mark.django_db


@pytest.fixture
def ada(django_user_model):
    user = django_user_model.objects.create_user("ada", "ada@example.com")
    user.groups.add(Group.objects.create(name="Acme account"))
    return user


def _sidebar(email="ada@example.com"):
    return SidebarRequest(emails=(email,), ticket={"number": 1})


@pytest.fixture
def org_settings(settings):
    settings.HELPSCOUT = {
        "DYNAMIC_APP_SECRET": "s",
        "ORGANIZATION_OF_USER": P + "account_of",
        "ORGANIZATION_FIELDS": P + "fields_of",
        "DYNAMIC_APP_CONTEXT": P + "account_context",
    }


def test_the_pushed_organization_and_the_account_reach_the_callable(org_settings, ada):
    account = ada.groups.get()
    org = Organization.objects.create(id=15, name="Acme")
    AccountOrganization.objects.create(
        account_type=ContentType.objects.get_for_model(Group),
        account_id=str(account.pk),
        organization_id=15,
    )
    context = sidebar_context(_sidebar())
    assert context["account"] == account and context["organization"] == org
    assert context["account_label"] == "Acme account / Acme"


def test_without_a_mapping_the_customers_organization_is_used(org_settings, ada):
    org = Organization.objects.create(id=16, name="Globex")
    Customer.objects.create(id=1, email="ada@example.com", organization=org)
    assert sidebar_context(_sidebar())["organization"] == org


def test_two_argument_callables_keep_working(settings, ada):
    settings.HELPSCOUT = {"DYNAMIC_APP_SECRET": "s", "DYNAMIC_APP_CONTEXT": P + "extra_context"}
    context = sidebar_context(_sidebar())
    assert context["open_invoices"] == 2 and context["ticket_number"] == 1
    assert context["account"] is None and context["organization"] is None


def test_the_default_sidebar_shows_the_organization_and_account(org_settings, ada):
    from django.template.loader import render_to_string

    org = Organization.objects.create(id=16, name="Globex")
    Customer.objects.create(id=1, email="ada@example.com", organization=org)
    html = render_to_string(
        "helpscout_integration/dynamic_app/sidebar.html", sidebar_context(_sidebar())
    )
    assert "Globex &middot; account Acme account" in html
