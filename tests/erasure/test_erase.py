"""erase_customer: Help Scout deletes the person, and nothing of them is left anywhere in
the app's tables or its webhook log; everyone else's data stays."""

from __future__ import annotations

import pytest

from helpscout_integration.erasure import erase_customer
from helpscout_integration.erasure.hashing import address_hash
from helpscout_integration.models import (
    Conversation,
    Customer,
    CustomerErasure,
    SatisfactionRating,
    Thread,
    WebhookEvent,
)

from .conftest import EMAIL, OTHER_EMAIL, SURNAME
from .grep import find_everywhere, searched_columns

pytestmark = pytest.mark.django_db(transaction=False)


def test_the_mirror_and_log_hold_the_person_before(person):
    """The grep finds them before: the erasure test below cannot pass vacuously."""
    hits = find_everywhere(EMAIL, SURNAME)
    tables = {hit.split(".")[0] for hit in hits}
    assert {
        "helpscout_integration_customer",
        "helpscout_integration_conversation",
        "helpscout_integration_thread",
        "helpscout_integration_satisfactionrating",
        "helpscout_integration_webhookevent",
    } <= tables
    assert ("helpscout_integration_webhookevent", "body") in searched_columns()


def test_erasing_by_email_leaves_nothing_of_the_person_anywhere(person, admin_user):
    [record] = erase_customer(EMAIL.upper(), requested_by=admin_user)  # Help Scout's rule
    assert find_everywhere(EMAIL, SURNAME) == []
    assert record.customer_id == person.customer_id
    assert record.status == "done" and record.helpscout_outcome.startswith("Deleted at Help Scout")
    # At Help Scout: the customer, their conversations and rating are gone.
    store = person.sandbox.store
    assert store.customers.get(person.customer_id) is None
    assert not set(person.conversation_ids) & set(store.conversations)
    assert all(r.customer_id != person.customer_id for r in store.ratings.values())
    # Everyone else's stays, in Help Scout and in the mirror.
    grace = Customer.objects.get(email=OTHER_EMAIL)
    assert Conversation.objects.get(pk=person.other_id).customer_id == grace.pk
    assert Thread.objects.filter(conversation_id=person.other_id).exists()
    person.grace_event.refresh_from_db()
    assert OTHER_EMAIL.encode() in bytes(person.grace_event.body)


def test_conversations_become_id_only_tombstones(person):
    erase_customer(person.customer_id)
    for conversation in Conversation.objects.filter(pk__in=person.conversation_ids):
        assert conversation.is_deleted and conversation.deleted_at is not None
        assert (conversation.subject, conversation.preview, conversation.data) == ("", "", {})
        assert conversation.customer_id is None
    assert Conversation.objects.filter(pk__in=person.conversation_ids).count() == 2
    assert not Thread.objects.filter(conversation_id__in=person.conversation_ids).exists()
    assert not SatisfactionRating.objects.filter(pk=person.rating["id"]).exists()
    assert not Customer.objects.filter(pk=person.customer_id).exists()


def test_webhook_rows_stay_for_the_audit_without_their_bodies(person):
    before = {e.pk: (e.event_type, e.status, e.received_at, e.body_sha256) for e in person.events}
    [record] = erase_customer(EMAIL)
    for event in WebhookEvent.objects.filter(pk__in=before):
        assert bytes(event.body) == b""
        assert (event.event_type, event.status, event.received_at, event.body_sha256) == before[
            event.pk
        ]
        assert f"#{record.pk}" in event.error
    assert record.steps["webhook_events"]["erased"] == 3


def test_the_record_holds_no_personal_data(person, admin_user):
    [record] = erase_customer(EMAIL, requested_by=admin_user)
    assert record.address_hash == address_hash("Ada@Example.com") != ""
    assert len(record.address_hash) == 64 and EMAIL not in record.address_hash
    assert record.requested_by == f"user {admin_user.pk} (admin)"
    assert record.requested_at and record.completed_at
    assert list(record.steps) == [
        "plan", "helpscout", "conversations", "threads", "ratings",
        "webhook_events", "admin_log", "customer",
    ]  # fmt: skip
    assert record.steps["customer"]["removed"] == 1
    assert record.steps["conversations"]["tombstoned"] == 2
    text = repr(CustomerErasure.objects.values().get(pk=record.pk)).lower()
    assert EMAIL not in text and SURNAME.lower() not in text


def test_the_address_hash_is_keyed_by_the_secret_key(person, settings):
    first = address_hash(EMAIL)
    settings.SECRET_KEY = "another-secret-key-for-this-test-only-0123456789"
    assert address_hash(EMAIL) != first


def test_an_address_nobody_has_still_erases_its_deliveries(person):
    from .conftest import stored_delivery

    stray = stored_delivery("convo.created", {"note": "from nobody@example.com"}, 424242)
    [record] = erase_customer("Nobody@example.com")
    assert record.customer_id is None and record.status == "done"
    stray.refresh_from_db()
    assert bytes(stray.body) == b""
    assert Customer.objects.filter(pk=person.customer_id).exists()  # nobody else touched


def test_bad_targets_are_refused_clearly(person):
    for target in ("", "not an address", "12a"):
        with pytest.raises(ValueError, match="customer id .* or an email address"):
            erase_customer(target)
    assert Customer.objects.filter(pk=person.customer_id).exists()


def test_a_non_ascii_secondary_address_is_found_in_the_mirror_by_the_identity_rule(person):
    """Found locally (--local-only: Help Scout not asked), exactly and not by folding."""
    Customer.objects.filter(pk=person.customer_id).update(emails=[EMAIL, "jörg@bücher.example"])
    [record] = erase_customer("jörg@bücher.example", local_only=True)
    assert record.customer_id == person.customer_id
    assert not Customer.objects.filter(pk=person.customer_id).exists()


def test_a_unicode_fold_of_the_address_is_not_the_person(person):
    """KELVIN SIGN folds to K in SQL and str.lower(): Help Scout's rule does not fold it."""
    Customer.objects.filter(pk=person.customer_id).update(
        email="kate@example.com", emails=["kate@example.com"]
    )
    [record] = erase_customer("\u212aate@example.com", local_only=True)
    assert record.customer_id is None
    assert Customer.objects.filter(pk=person.customer_id).exists()
