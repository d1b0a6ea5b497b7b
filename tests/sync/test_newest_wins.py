"""Newest wins for every mirrored object, not only conversations: an older payload (a late
webhook, a page fetched before a change) never overwrites a newer row, and a time no
payload can have (frozen in the future) never blocks Help Scout's own answer.

Run on SQLite by default and on PostgreSQL with DATABASE_URL: the writer builds its
upserts differently on each (`sync.bulk`), and both must keep the rule.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from helpscout_integration.models import Agent, Conversation, Customer, Mailbox, Tag
from helpscout_integration.sync.upsert import (
    mark_customer_deleted,
    upsert_agents,
    upsert_conversations,
    upsert_customers,
    upsert_mailboxes,
    upsert_tags,
)

from .payloads import conversation

pytestmark = pytest.mark.django_db

NEWER = "2024-05-02T10:00:00Z"
OLDER = "2024-05-01T10:00:00Z"


def customer(updated: str, first: str) -> dict:
    return {
        "id": 501,
        "firstName": first,
        "lastName": "Bear",
        "createdAt": "2024-01-01T09:00:00Z",
        "updatedAt": updated,
        "_embedded": {"emails": [{"value": "vernon@example.com", "type": "work"}]},
    }


def tag(updated: str, name: str) -> dict:
    return {"id": 601, "name": name, "slug": name.lower(), "color": "#fff", "updatedAt": updated}


def agent(updated: str, first: str) -> dict:
    return {
        "id": 701,
        "firstName": first,
        "lastName": "Agent",
        "email": "ana@example.com",
        "createdAt": "2024-01-01T09:00:00Z",
        "updatedAt": updated,
    }


def mailbox(updated: str, name: str) -> dict:
    return {
        "id": 801,
        "name": name,
        "slug": "support",
        "email": "support@example.com",
        "createdAt": "2024-01-01T09:00:00Z",
        "updatedAt": updated,
    }


CASES = [
    pytest.param(upsert_customers, customer, Customer, "first_name", id="customer"),
    pytest.param(upsert_tags, tag, Tag, "name", id="tag"),
    pytest.param(upsert_agents, agent, Agent, "first_name", id="agent"),
    pytest.param(upsert_mailboxes, mailbox, Mailbox, "name", id="mailbox"),
]


@pytest.mark.parametrize(("write", "payload", "model", "field"), CASES)
def test_an_older_payload_never_overwrites_a_newer_row(write, payload, model, field):
    write([payload(NEWER, "Newer")])

    result = write([payload(OLDER, "Older")])

    assert (result.stale, result.updated) == (1, 0)
    row = model.objects.get()
    assert getattr(row, field) == "Newer"
    assert row.hs_updated_at == datetime(2024, 5, 2, 10, tzinfo=UTC)


@pytest.mark.parametrize(("write", "payload", "model", "field"), CASES)
def test_a_newer_payload_replaces_an_older_row(write, payload, model, field):
    write([payload(OLDER, "Older")])
    result = write([payload(NEWER, "Newer")])
    assert result.updated == 1
    assert getattr(model.objects.get(), field) == "Newer"


@pytest.mark.parametrize(("write", "payload", "model", "field"), CASES)
def test_an_older_payload_in_the_same_batch_loses_too(write, payload, model, field):
    """A page may carry an object twice (keyset paging restarts a second early)."""
    write([payload(NEWER, "Newer"), payload(OLDER, "Older")])
    assert getattr(model.objects.get(), field) == "Newer"


@pytest.mark.parametrize(("write", "payload", "model", "field"), CASES)
def test_a_row_frozen_in_the_future_takes_the_next_payload(write, payload, model, field):
    """Before impossible times were refused, one could be stored: it must not block."""
    write([payload(OLDER, "Frozen")])
    model.objects.update(hs_updated_at=datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC))

    write([payload(NEWER, "Healed")])

    row = model.objects.get()
    assert getattr(row, field) == "Healed"
    assert row.hs_updated_at == datetime(2024, 5, 2, 10, tzinfo=UTC)


# --- tombstones against fresh reads -----------------------------------------------------


def test_a_deleted_customer_is_not_revived_by_a_webhook_body():
    upsert_customers([customer(OLDER, "Vernon")])
    mark_customer_deleted(501)
    upsert_customers([customer(NEWER, "Vern")])
    assert Customer.objects.get().is_deleted


def test_a_fresh_read_after_the_tombstone_revives_the_customer():
    """Help Scout listed the customer after it was marked deleted: it exists."""
    upsert_customers([customer(OLDER, "Vernon")])
    mark_customer_deleted(501)

    upsert_customers([customer(OLDER, "Vernon")], observed_at=timezone.now())

    assert not Customer.objects.get().is_deleted


def test_a_read_begun_before_the_tombstone_does_not_revive_the_customer():
    """The page-vs-webhook race: a page fetched before the deletion is written after it."""
    upsert_customers([customer(OLDER, "Vernon")])
    read_began = timezone.now() - timedelta(seconds=5)
    mark_customer_deleted(501)

    upsert_customers([customer(NEWER, "Vern")], observed_at=read_began)

    assert Customer.objects.get().is_deleted


def test_a_fresh_read_revives_a_wrongly_tombstoned_conversation_and_unmerges_it():
    upsert_conversations([conversation(1, threads=[11])])
    upsert_conversations([conversation(2, threads=[21])])
    Conversation.objects.filter(pk=1).update(
        is_deleted=True, deleted_at=timezone.now(), merged_into_id=2
    )

    result = upsert_conversations([conversation(1, threads=[11])], observed_at=timezone.now())

    assert result.updated + result.created == 1
    row = Conversation.objects.get(pk=1)
    assert not row.is_deleted and row.merged_into_id is None and row.deleted_at is None


def test_a_read_begun_before_the_tombstone_leaves_the_conversation_deleted():
    upsert_conversations([conversation(1, threads=[11])])
    read_began = timezone.now() - timedelta(seconds=5)
    Conversation.objects.filter(pk=1).update(is_deleted=True, deleted_at=timezone.now())

    upsert_conversations([conversation(1, threads=[11])], observed_at=read_began)

    assert Conversation.objects.get(pk=1).is_deleted


def test_a_webhook_body_does_not_revive_a_tombstoned_conversation():
    upsert_conversations([conversation(1, threads=[11])])
    Conversation.objects.filter(pk=1).update(is_deleted=True, deleted_at=timezone.now())
    upsert_conversations([conversation(1, threads=[11], subject="Late")])
    assert Conversation.objects.get(pk=1).is_deleted
