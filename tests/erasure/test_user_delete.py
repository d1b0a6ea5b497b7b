"""ERASE_ON_USER_DELETE: deleting a product user erases their Help Scout customer through
the task backend; off by default."""

from __future__ import annotations

import pytest

from helpscout_integration.models import Customer, CustomerErasure

from .conftest import EMAIL, SURNAME
from .grep import find_everywhere

pytestmark = pytest.mark.django_db


def test_off_by_default_deleting_a_user_erases_nothing(
    person, django_user_model, django_capture_on_commit_callbacks
):
    user = django_user_model.objects.create_user("ada", email=EMAIL)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        user.delete()
    assert callbacks == []
    assert Customer.objects.filter(pk=person.customer_id).exists()
    assert not CustomerErasure.objects.exists()


def test_on_deleting_the_user_erases_their_customer_via_the_task(
    person, settings, django_user_model, django_capture_on_commit_callbacks
):
    settings.HELPSCOUT = {**settings.HELPSCOUT, "ERASE_ON_USER_DELETE": True}
    user = django_user_model.objects.create_user("ada", email="Ada@Example.com")
    pk = user.pk
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        user.delete()
    assert Customer.objects.filter(pk=person.customer_id).exists()  # only after commit
    for callback in callbacks:
        callback()  # the immediate task backend runs the task here
    record = CustomerErasure.objects.get(customer_id=person.customer_id)
    assert record.status == "done"
    assert record.requested_by == f"ERASE_ON_USER_DELETE (user {pk})"
    assert find_everywhere(EMAIL, SURNAME) == []


def test_a_user_who_owns_no_customer_queues_nothing(
    person, settings, django_user_model, django_capture_on_commit_callbacks
):
    settings.HELPSCOUT = {**settings.HELPSCOUT, "ERASE_ON_USER_DELETE": True}
    user = django_user_model.objects.create_user("bob", email="")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        user.delete()
    assert callbacks == []
