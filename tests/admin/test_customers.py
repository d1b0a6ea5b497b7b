"""The Customer admin's "Push product properties now" action."""

from __future__ import annotations

import pytest
from django.urls import reverse

from helpscout_integration.admin import customers as customer_admin
from helpscout_integration.models import Customer

pytestmark = pytest.mark.django_db
URL = "admin:helpscout_integration_customer_changelist"


@pytest.fixture
def pushed(monkeypatch):
    """Stand-in for customer_properties.push_customer_properties: records product users."""
    calls = []

    def push(user):
        if user.username == "broken":
            raise RuntimeError("Help Scout said no")
        calls.append(user.username)

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
    cleo = Customer.objects.create(id=1, email="cleo@example.com")
    stranger = Customer.objects.create(id=2, email="stranger@example.com", first_name="Stan")
    broken = Customer.objects.create(id=3, email="broken@example.com")
    page = _run(admin_client, cleo, stranger, broken)
    assert pushed == ["cleo"]
    assert "Pushed product properties for 1 customer(s)." in page
    assert "No product user has the email of: Stan" in page
    assert "Push failed for broken@example.com: Help Scout said no" in page


def test_action_needs_the_change_permission(client, pushed, staff_user, django_user_model):
    django_user_model.objects.create_user("cleo", email="cleo@example.com")
    cleo = Customer.objects.create(id=1, email="cleo@example.com")
    client.force_login(staff_user("view_customer"))
    assert "push_product_properties" not in client.get(reverse(URL)).content.decode()
    _run(client, cleo)
    assert pushed == []
    client.force_login(staff_user("view_customer", "change_customer"))
    assert "push_product_properties" in client.get(reverse(URL)).content.decode()


def test_action_is_left_out_while_customer_properties_is_not_installed(admin_client, monkeypatch):
    monkeypatch.setattr(customer_admin, "_push_function", lambda: None)
    assert "push_product_properties" not in admin_client.get(reverse(URL)).content.decode()
