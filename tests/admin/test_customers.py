"""The Customer admin's "Push product properties now" action."""

from __future__ import annotations

import pytest
from django.urls import reverse

from helpscout_integration.admin import customers as customer_admin
from helpscout_integration.client import HelpScoutClient
from helpscout_integration.customer_properties import PushResult
from helpscout_integration.models import Customer

pytestmark = pytest.mark.django_db
URL = "admin:helpscout_integration_customer_changelist"


@pytest.fixture
def pushed(monkeypatch):
    """Stand-in for customer_properties.push_properties_now: records product users."""
    calls = []

    def push(user):
        if user.username == "broken":
            return PushResult(user_pk=user.pk, error="Help Scout said no")
        if user.username == "partial":
            return PushResult(
                user_pk=user.pk, pushed={"plan": "Pro"}, invalid={"seats": "not a number"}
            )
        calls.append(user.username)
        return PushResult(user_pk=user.pk, pushed={"plan": "Pro"})

    monkeypatch.setattr(customer_admin, "_push_function", lambda: push)
    return calls


def _run(client, *customers):
    return client.post(
        reverse(URL),
        {"action": "push_product_properties", "_selected_action": [c.pk for c in customers]},
        follow=True,
    ).content.decode()


def test_pushes_for_the_product_user_with_the_customers_email(
    admin_client, pushed, django_user_model
):
    django_user_model.objects.create_user("cleo", email="Cleo@Example.com")
    django_user_model.objects.create_user("broken", email="broken@example.com")
    django_user_model.objects.create_user("partial", email="part@example.com")
    cleo = Customer.objects.create(id=1, email="cleo@example.com")
    stranger = Customer.objects.create(id=2, email="stranger@example.com", first_name="Stan")
    broken = Customer.objects.create(id=3, email="broken@example.com")
    partial = Customer.objects.create(id=4, email="other@example.com", emails=["part@example.com"])
    page = _run(admin_client, cleo, stranger, broken, partial)
    assert pushed == ["cleo"]
    assert "Pushed product properties for 1 customer(s)." in page
    assert "No product user has the email of: Stan" in page
    assert "Push failed for broken@example.com: Help Scout said no" in page
    assert "with problems" in page and "seats not a number" in page


def test_action_needs_the_change_permission(client, pushed, staff_user, django_user_model):
    django_user_model.objects.create_user("cleo", email="cleo@example.com")
    cleo = Customer.objects.create(id=1, email="cleo@example.com")
    client.force_login(staff_user("view_customer"))
    assert "push_product_properties" not in client.get(reverse(URL)).content.decode()
    _run(client, cleo)
    assert pushed == []
    client.force_login(staff_user("view_customer", "change_customer"))
    assert "push_product_properties" in client.get(reverse(URL)).content.decode()


def plan_pro(user):
    """CUSTOMER_PROPERTIES for the sandbox test below."""
    return {"plan": "Pro"}


def test_push_reaches_help_scout(admin_client, helpscout_sandbox, settings, django_user_model):
    sb = helpscout_sandbox
    sb.store.add_property_definition("plan", "Plan", "dropdown", ["Free", "Pro"])
    remote = sb.create_customer(email="cleo@example.com", first_name="Cleo")
    settings.HELPSCOUT = {
        **settings.HELPSCOUT, "CUSTOMER_PROPERTIES": "tests.admin.test_customers.plan_pro"
    }  # fmt: skip
    django_user_model.objects.create_user("cleo", email="cleo@example.com")
    customer = Customer.objects.create(id=remote["id"], email="cleo@example.com")
    page = _run(admin_client, customer)
    assert "Pushed product properties for 1 customer(s)." in page
    with HelpScoutClient.from_settings() as client:
        props = client.customers.get(remote["id"])["_embedded"]["properties"]
    assert {p["slug"]: p["text"] for p in props}.get("plan") == "Pro"


def test_action_is_left_out_while_customer_properties_is_not_installed(admin_client, monkeypatch):
    monkeypatch.setattr(customer_admin, "_push_function", lambda: None)
    assert "push_product_properties" not in admin_client.get(reverse(URL)).content.decode()


def test_a_look_alike_customer_email_finds_no_product_user(db, django_user_model):
    from helpscout_integration.admin.customers import _product_user
    from helpscout_integration.models import Customer

    django_user_model.objects.create_user("kate", "kate@example.com")
    look_alike = Customer(id=1, email="\u212aate@example.com", emails=["\u212aate@example.com"])
    same = Customer(id=2, email="kate@example.com", emails=["Kate@Example.com"])

    assert _product_user(look_alike) is None
    assert _product_user(same).username == "kate"


def test_a_push_with_no_values_says_so_instead_of_pushed(admin_client, monkeypatch):
    monkeypatch.setattr(
        customer_admin, "_push_function", lambda: lambda user: PushResult(user_pk=user.pk)
    )
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_user("cleo", email="cleo@example.com")
    page = _run(admin_client, Customer.objects.create(id=1, email="cleo@example.com"))
    assert "Nothing pushed for cleo@example.com: CUSTOMER_PROPERTIES gave no values." in page
    assert "Pushed product properties" not in page


@pytest.mark.helpscout_sandbox(seed="large:0", rate_limit_per_minute=None)
def test_after_the_demos_push_the_customer_page_shows_the_pushed_values(
    admin_client, helpscout_sandbox, settings, django_user_model
):
    """The demo's CUSTOMER_PROPERTIES fits the seed's definitions; the mirror follows."""
    remote = helpscout_sandbox.create_customer(email="cleo@example.com", first_name="Cleo")
    settings.HELPSCOUT = {
        **settings.HELPSCOUT,
        "CUSTOMER_PROPERTIES": "project.customer_properties.demo_properties",
    }
    user = django_user_model.objects.create_user("cleo", email="cleo@example.com")
    customer = Customer.objects.create(id=remote["id"], email="cleo@example.com")
    page = _run(admin_client, customer)
    assert "Pushed product properties for 1 customer(s)." in page, page
    # The mirror holds Help Scout's `value` of each property, as a sync would store it: a
    # dropdown's is the option id (its label is in Help Scout's `text`).
    with HelpScoutClient.from_settings() as client:
        remote_props = {
            p["slug"]: p for p in client.customers.get(remote["id"])["_embedded"]["properties"]
        }
    seats = 3 + user.pk % 5
    mirrored = Customer.objects.get(pk=customer.pk).properties
    assert mirrored["seats"] == seats and str(mirrored["plan"]) == str(
        remote_props["plan"]["value"]
    )
    detail = admin_client.get(
        reverse("admin:helpscout_integration_customer_change", args=[customer.pk])
    ).content.decode()
    assert f"<th>seats</th><td>{seats}</td>" in detail  # no longer "-" after the push
    with HelpScoutClient.from_settings() as client:  # and the sandbox kept them
        props = client.customers.get(remote["id"])["_embedded"]["properties"]
    assert {p["slug"]: p["text"] for p in props}.get("plan") == "Basic"
