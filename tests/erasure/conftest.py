"""A person (Ada Lovelace) known to a sandbox Help Scout, mirrored, and in the webhook log,
next to another customer (Grace) who must be left alone."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest
from django.core.management import call_command

from helpscout_integration.models import WebhookEvent
from helpscout_integration.sync.upsert import upsert_rating

EMAIL = "ada@example.com"
SURNAME = "Lovelace"
OTHER_EMAIL = "grace@example.com"


def stored_delivery(event_type: str, payload: dict, resource_id: int) -> WebhookEvent:
    return WebhookEvent.objects.create(
        event_type=event_type,
        body=json.dumps(payload).encode(),
        resource_id=resource_id,
        signature_valid=True,
        status="processed",
    )


@pytest.fixture
def person(helpscout_sandbox, db):
    sb = helpscout_sandbox
    sb.create_mailbox("Support", "support@example.com")
    agent = sb.create_user("Ana", "Agent", "ana@example.com", role="owner")
    ada = sb.create_customer(EMAIL, "Ada", SURNAME, job_title="Analyst")
    first = sb.create_conversation(
        customer_id=ada["id"],
        subject=f"Invoice for {SURNAME}",
        threads=[{"type": "customer", "text": f"Hello, this is Ada {SURNAME} ({EMAIL})"}],
    )
    sb.add_thread(first["id"], "reply", f"Hi Ada {SURNAME}", user_id=agent["id"])
    second = sb.create_conversation(customer_id=ada["id"], subject="Second question")
    other = sb.create_conversation(customer_email=OTHER_EMAIL, subject="Grace asks")
    rating = sb.rate_conversation(first["id"], "great", f"Thanks, {SURNAME} here")
    call_command("helpscout_sync", "--full", "--no-progress", verbosity=0)
    upsert_rating(rating)
    events = [
        stored_delivery("convo.created", sb.get_conversation(first["id"]), first["id"]),
        stored_delivery("customer.updated", ada, ada["id"]),
        stored_delivery("satisfaction.ratings", rating, rating["id"]),
    ]
    grace_event = stored_delivery("convo.created", sb.get_conversation(other["id"]), other["id"])
    return SimpleNamespace(
        sandbox=sb,
        customer_id=ada["id"],
        customer=ada,
        conversation_ids=[first["id"], second["id"]],
        first=first,
        other_id=other["id"],
        rating=rating,
        events=events,
        grace_event=grace_event,
    )
