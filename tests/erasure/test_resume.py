"""An erasure is resumable and idempotent: Help Scout down, a refusal (403), a kill between
steps, an asynchronous delete finished by `customer.deleted`; and twice is harmless."""

from __future__ import annotations

import json

import pytest

from helpscout_integration.client import HelpScoutClient
from helpscout_integration.erasure import ErasureInterrupted, erase_customer, service
from helpscout_integration.erasure.ledger import is_erased
from helpscout_integration.exceptions import PermissionDeniedError
from helpscout_integration.models import Customer, CustomerErasure, WebhookEvent
from helpscout_integration.sandbox.mailbox_api.customer_delete import wait_for_async_deletes
from helpscout_integration.sync.upsert import upsert_customers
from helpscout_integration.webhooks.processing import process_event

from .conftest import EMAIL, SURNAME
from .grep import find_everywhere

pytestmark = pytest.mark.django_db


class Refusing:
    """A client whose customer delete Help Scout refuses (403), as for an API user who
    cannot see all of the customer's conversations."""

    def __init__(self, real):
        self._real = real
        self.customers = self
        self.deletes = []

    def find_by_email(self, email):
        return self._real.customers.find_by_email(email)

    def delete(self, customer_id, *, asynchronous=False):
        self.deletes.append(asynchronous)
        raise PermissionDeniedError("Forbidden", status_code=403)


def test_help_scout_down_erases_nothing_then_a_rerun_finishes(person):
    person.sandbox.faults.fail_next(50, status=503, path=f"/v2/customers/{person.customer_id}")
    with (
        HelpScoutClient.from_settings(max_retries=0) as client,
        pytest.raises(ErasureInterrupted, match="Run the erasure again"),
    ):
        erase_customer(EMAIL, client=client)
    record = CustomerErasure.objects.get(customer_id=person.customer_id)
    assert record.status == "pending" and "ServerError 503" in record.helpscout_outcome
    assert not is_erased(person.customer_id)
    assert Customer.objects.filter(pk=person.customer_id).exists()  # nothing erased yet
    person.sandbox.faults.clear()
    [again] = erase_customer(EMAIL)
    assert again.pk == record.pk and again.status == "done"
    assert find_everywhere(EMAIL, SURNAME) == []
    assert person.sandbox.store.customers.get(person.customer_id) is None


def test_a_403_is_reported_with_what_to_do_and_nothing_is_erased(person):
    with HelpScoutClient.from_settings() as real:
        refusing = Refusing(real)
        [record] = erase_customer(EMAIL, client=refusing)
    assert refusing.deletes == [False, True]  # synchronous, then asynchronous
    assert record.status == "blocked"
    assert "access to every mailbox" in record.helpscout_outcome
    assert "nothing was erased" in record.helpscout_outcome
    assert not is_erased(person.customer_id)
    assert upsert_customers([person.customer]).unchanged == 1  # still mirrored normally
    assert Customer.objects.filter(pk=person.customer_id).exists()
    [done] = erase_customer(EMAIL)  # access granted: the same erasure resumes
    assert done.pk == record.pk and done.status == "done"
    assert find_everywhere(EMAIL, SURNAME) == []


def test_killed_between_local_steps_a_rerun_finishes(person, monkeypatch):
    def killed(*args):
        raise SystemExit("killed")

    steps = [(n, killed if n == "ratings" else s) for n, s in service.LOCAL_STEPS]
    monkeypatch.setattr(service, "LOCAL_STEPS", tuple(steps))
    with pytest.raises(SystemExit):
        erase_customer(EMAIL)
    record = CustomerErasure.objects.get(customer_id=person.customer_id)
    assert record.status == "erasing"
    # (a set: PostgreSQL's jsonb does not keep key order; each step's `at` does)
    assert set(record.steps) == {"plan", "helpscout", "conversations", "threads"}
    assert is_erased(person.customer_id)  # the mirror refuses them meanwhile
    monkeypatch.undo()
    [again] = erase_customer(person.customer_id)
    assert again.pk == record.pk and again.status == "done"
    assert again.steps["helpscout"] == record.steps["helpscout"]  # Help Scout asked once
    assert find_everywhere(EMAIL, SURNAME) == []


def test_twice_is_harmless(person):
    [first] = erase_customer(EMAIL)
    deletes = [r for r in person.sandbox.request_log if r[0] == "DELETE"]
    assert deletes == [("DELETE", f"/v2/customers/{person.customer_id}", 204)]
    [second] = erase_customer(person.customer_id)
    assert second.pk == first.pk and second.status == "done"
    assert second.steps["helpscout"] == first.steps["helpscout"]
    assert second.completed_at == first.completed_at
    assert [r for r in person.sandbox.request_log if r[0] == "DELETE"] == deletes  # asked once
    assert CustomerErasure.objects.count() == 1
    assert find_everywhere(EMAIL, SURNAME) == []


def test_over_100_conversations_deletes_asynchronously_finished_by_the_webhook(person):
    for _ in range(100):
        person.sandbox.create_conversation(customer_id=person.customer_id)
    [record] = erase_customer(EMAIL)
    assert record.status == "awaiting_helpscout"
    assert "asynchronous" in record.helpscout_outcome
    assert find_everywhere(EMAIL, SURNAME) == []  # the mirror is erased at once
    assert wait_for_async_deletes(person.sandbox)
    deleted = WebhookEvent.objects.create(
        event_type="customer.deleted",
        body=json.dumps({"id": person.customer_id}).encode(),
        resource_id=person.customer_id,
        signature_valid=True,
    )
    assert process_event(deleted.pk) == "processed"  # Help Scout confirmed: gone
    record.refresh_from_db()
    assert record.status == "done" and record.completed_at is not None
    assert "customer.deleted received" in record.helpscout_outcome
    assert find_everywhere(EMAIL, SURNAME) == []


def test_a_blocked_erasure_can_finish_locally_only(person):
    with HelpScoutClient.from_settings() as real:
        [blocked] = erase_customer(EMAIL, client=Refusing(real))
    assert blocked.status == "blocked"
    [done] = erase_customer(person.customer_id, local_only=True)
    assert done.pk == blocked.pk and done.status == "done" and done.local_only
    assert done.helpscout_outcome == "Help Scout was not asked (local only)."
    assert find_everywhere(EMAIL, SURNAME) == []
