"""Staff erase a customer from the admin: its own permission, a confirmation page, a
LogEntry without personal data, and the erasure records read-only."""

from __future__ import annotations

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.urls import reverse

from helpscout_integration.models import Customer, CustomerErasure

from .conftest import EMAIL, SURNAME
from .grep import find_everywhere

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:helpscout_integration_customer_changelist"


def _staff(django_user_model, *codenames):
    user = django_user_model.objects.create_user("staff", password="pw", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="helpscout_integration", codename__in=codenames
        )
    )
    return user


def _action(client, customer_id, **extra):
    return client.post(
        reverse(CHANGELIST),
        {"action": "erase_customers", "_selected_action": [customer_id], **extra},
    )


def test_without_the_permission_the_action_is_not_offered(person, client, django_user_model):
    client.force_login(_staff(django_user_model, "view_customer", "change_customer"))
    page = client.get(reverse(CHANGELIST))
    assert page.status_code == 200 and b"erase_customers" not in page.content
    _action(client, person.customer_id, confirm_erase="1")
    assert Customer.objects.filter(pk=person.customer_id).exists()
    assert not CustomerErasure.objects.exists()


def test_staff_confirm_then_the_customer_is_erased_and_logged(person, client, django_user_model):
    staff = _staff(django_user_model, "view_customer", "erase_customer", "view_customererasure")
    client.force_login(staff)
    assert b"erase_customers" in client.get(reverse(CHANGELIST)).content
    confirm = _action(client, person.customer_id)
    assert confirm.status_code == 200
    assert b"This cannot be undone." in confirm.content
    assert f"<td>{person.customer_id}</td>".encode() in confirm.content
    assert Customer.objects.filter(pk=person.customer_id).exists()  # nothing before confirming

    done = _action(client, person.customer_id, confirm_erase="Erase for good")
    assert done.status_code == 302
    assert find_everywhere(EMAIL, SURNAME) == []
    record = CustomerErasure.objects.get(customer_id=person.customer_id)
    assert record.status == "done" and record.requested_by == f"user {staff.pk} (staff)"
    [entry] = LogEntry.objects.filter(object_id=str(record.pk))
    assert (
        entry.user == staff
        and entry.object_repr == f"Erasure of customer {person.customer_id} (done)"
    )
    assert "Deleted at Help Scout" in entry.get_change_message()
    messages = [m.message for m in get_messages(done.wsgi_request)]
    assert any("Deleted at Help Scout" in m for m in messages)

    listing = client.get(reverse("admin:helpscout_integration_customererasure_changelist"))
    assert listing.status_code == 200 and str(person.customer_id).encode() in listing.content
    detail = client.get(
        reverse("admin:helpscout_integration_customererasure_change", args=[record.pk])
    )
    assert detail.status_code == 200 and b'name="_save"' not in detail.content
    assert EMAIL.encode() not in detail.content and SURNAME.encode() not in detail.content
    add = client.get(reverse("admin:helpscout_integration_customererasure_add"))
    assert add.status_code == 403


def test_local_only_from_the_admin_does_not_ask_help_scout(person, client, django_user_model):
    client.force_login(_staff(django_user_model, "view_customer", "erase_customer"))
    _action(client, person.customer_id, confirm_erase="1", local_only="1")
    record = CustomerErasure.objects.get(customer_id=person.customer_id)
    assert record.local_only and "not asked" in record.helpscout_outcome
    assert person.sandbox.store.customers.get(person.customer_id) is not None
    assert not Customer.objects.filter(pk=person.customer_id).exists()
