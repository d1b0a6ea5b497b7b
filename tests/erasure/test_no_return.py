"""Nothing brings an erased person back: a late or replayed delivery, a sync page fetched
before the erasure, a rating, a property push. A new contact from the same address later
is a new customer (a new Help Scout id) and is mirrored normally."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.management import call_command

from helpscout_integration.customer_properties.push import push_properties_now
from helpscout_integration.erasure import erase_customer
from helpscout_integration.models import Conversation, Customer, Thread, WebhookEvent
from helpscout_integration.sync.upsert import upsert_conversations, upsert_customers, upsert_rating
from helpscout_integration.webhooks.processing import process_event

from .conftest import EMAIL, SURNAME
from .grep import find_everywhere

pytestmark = pytest.mark.django_db


def _late(event_type, payload, resource_id) -> WebhookEvent:
    return WebhookEvent.objects.create(
        event_type=event_type,
        body=json.dumps(payload).encode(),
        resource_id=resource_id,
        signature_valid=True,
    )


def test_late_deliveries_are_ignored_and_their_bodies_erased(person):
    conversation = person.sandbox.get_conversation(person.first["id"])  # as sent before
    erase_customer(EMAIL)
    late = [
        _late("customer.updated", person.customer, person.customer_id),
        _late("convo.customer.reply.created", conversation, person.first["id"]),
        _late("satisfaction.ratings", person.rating, person.rating["id"]),
    ]
    for event in late:
        assert process_event(event.pk) == "ignored"
        event.refresh_from_db()
        assert bytes(event.body) == b"" and "erased customer" in event.error
    assert not Customer.objects.filter(pk=person.customer_id).exists()
    assert find_everywhere(EMAIL, SURNAME) == []


def test_a_replayed_stored_delivery_cannot_bring_them_back(person):
    stored = person.events[0]
    erase_customer(EMAIL)
    process_event(stored.pk, force=True)  # what the admin's replay action runs
    assert find_everywhere(EMAIL, SURNAME) == []
    assert not Thread.objects.filter(conversation_id=person.first["id"]).exists()


def test_a_sync_page_fetched_before_the_erasure_writes_nothing(person):
    page = [person.sandbox.get_conversation(i) for i in person.conversation_ids]
    erase_customer(EMAIL)
    result = upsert_conversations(page)
    assert result.written == 0 and result.stale == 2
    assert upsert_customers([person.customer]).written == 0
    assert upsert_rating(person.rating).written == 0
    assert find_everywhere(EMAIL, SURNAME) == []
    tombstones = Conversation.objects.filter(pk__in=person.conversation_ids)
    assert all(c.is_deleted and c.subject == "" for c in tombstones)


def test_their_thread_in_someone_elses_conversation_stays_out(person):
    """A page of Grace's conversation still carrying a thread Ada wrote: the thread is
    left out, Grace's conversation is written."""
    page = person.sandbox.get_conversation(person.other_id)
    threads = page["_embedded"]["threads"]
    ada_thread = json.loads(json.dumps(threads[0]))
    ada_thread.update(
        id=987654,
        customer={"id": person.customer_id, "email": EMAIL, "first": "Ada", "last": SURNAME},
        createdBy={"id": person.customer_id, "type": "customer", "email": EMAIL,
                   "first": "Ada", "last": SURNAME},
    )  # fmt: skip
    page["_embedded"]["threads"] = [*threads, ada_thread]
    # Newer than the mirrored version, and plausible (times over a day ahead are refused).
    page["userUpdatedAt"] = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)).strftime(
        "%Y-%m-%dT%H:%M:%SZ"
    )
    erase_customer(EMAIL)
    upsert_conversations([page])
    assert Thread.objects.filter(conversation_id=person.other_id).exists()
    assert not Thread.objects.filter(pk=987654).exists()
    assert find_everywhere(EMAIL, SURNAME) == []


def test_a_full_sync_after_the_erasure_finds_nothing_of_them(person):
    erase_customer(EMAIL)
    call_command("helpscout_sync", "--full", "--no-progress", verbosity=0)
    assert find_everywhere(EMAIL, SURNAME) == []


def test_a_new_contact_from_the_same_address_is_a_new_customer(person):
    erase_customer(EMAIL)
    again = person.sandbox.create_conversation(customer_email=EMAIL, subject="I am back")
    new_id = again["primaryCustomer"]["id"]
    assert new_id != person.customer_id  # Help Scout never reuses an id
    call_command("helpscout_sync", "--full", "--no-progress", verbosity=0)
    assert Customer.objects.get(pk=new_id).email == EMAIL
    assert Conversation.objects.get(pk=again["id"]).customer_id == new_id
    assert not Customer.objects.filter(pk=person.customer_id).exists()


def test_a_property_push_does_not_recreate_an_erased_customer(person, settings, django_user_model):
    settings.HELPSCOUT = {
        **settings.HELPSCOUT,
        "CUSTOMER_PROPERTIES": "tests.customer_properties.producers.unknown_slug",
    }
    user = django_user_model.objects.create_user("ada", email=EMAIL, last_name=SURNAME)
    erase_customer(EMAIL)
    result = push_properties_now(user)
    assert "erased" in result.error and not result.customer_created
    assert person.sandbox.store.customer_by_email(EMAIL) is None
    # Once they write to support again, pushes reach their new customer.
    again = person.sandbox.create_conversation(customer_email=EMAIL)
    result = push_properties_now(user)
    assert result.error == "" and result.customer_id == again["primaryCustomer"]["id"]


def test_a_signed_delivery_through_the_webhook_view_after_the_erasure(
    person, client, settings, django_capture_on_commit_callbacks
):
    """End to end: Help Scout's late `customer.updated` (new bytes) is accepted (200: it is
    genuine), processed as ignored, and its stored body erased; a repeat of the same bytes
    is only counted on that row."""
    from django.urls import reverse

    from helpscout_integration.webhooks.signature import compute_signature

    settings.HELPSCOUT = {**settings.HELPSCOUT, "WEBHOOK_SECRET": ["late-secret"]}
    erase_customer(EMAIL)
    body = json.dumps({**person.customer, "jobTitle": "Late"}).encode()
    headers = {
        "HTTP_X_HELPSCOUT_EVENT": "customer.updated",
        "HTTP_X_HELPSCOUT_SIGNATURE": compute_signature(body, "late-secret"),
    }
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("helpscout:webhook"), data=body, content_type="application/json", **headers
            )
        assert response.status_code == 200
    [event] = WebhookEvent.objects.filter(event_type="customer.updated", deliveries=2)
    assert event.status == "ignored" and bytes(event.body) == b""
    assert not Customer.objects.filter(pk=person.customer_id).exists()
    assert find_everywhere(EMAIL, SURNAME) == []
