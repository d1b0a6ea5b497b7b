"""Help Scout-shaped webhook bodies for the tests (v2 objects, not envelopes)."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta

BASE_TIME = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)


def stamp(minutes: int) -> str:
    return (BASE_TIME + timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M:%SZ")


CUSTOMER_REF = {
    "id": 4321,
    "type": "customer",
    "first": "Vernon",
    "last": "Bear",
    "email": "vbear@mywork.com",
}
AGENT_REF = {"id": 256, "type": "user", "first": "Ana", "last": "Agent", "email": "ana@example.com"}


def thread(thread_id: int, *, type="customer", body="Hello", minutes=0, by=None) -> dict:
    author = by or (CUSTOMER_REF if type == "customer" else AGENT_REF)
    return {
        "id": thread_id,
        "type": type,
        "status": "active",
        "state": "published",
        "body": f"<p>{body}</p>",
        "source": {"type": "email", "via": "customer" if type == "customer" else "user"},
        "customer": CUSTOMER_REF,
        "createdBy": author,
        "to": [],
        "cc": [],
        "bcc": [],
        "createdAt": stamp(minutes),
    }


def conversation(
    conversation_id: int = 1001,
    *,
    minutes: int = 0,
    status: str = "active",
    subject: str = "I need help!",
    mailbox_id: int = 85,
    assignee: dict | None = None,
    tags: list[tuple[int, str]] = (),
    threads: list[dict] | None = None,
    custom_fields: list[dict] = (),
) -> dict:
    """A v2 Conversation object as a `convo.*` webhook carries it (threads embedded)."""
    if threads is None:
        threads = [thread(conversation_id * 10 + 1, minutes=0)]
    body = {
        "id": conversation_id,
        "number": conversation_id - 1000 + 300,
        "threads": len(threads),
        "type": "email",
        "folderId": 1234,
        "status": status,
        "state": "published",
        "subject": subject,
        "preview": "Hello, I tried to download the file off your site...",
        "mailboxId": mailbox_id,
        "assignee": assignee,
        "createdBy": CUSTOMER_REF,
        "createdAt": stamp(0),
        "userUpdatedAt": stamp(minutes),
        "source": {"type": "email", "via": "customer"},
        "tags": [{"id": i, "color": "#929499", "tag": name} for i, name in tags],
        "cc": [],
        "bcc": [],
        "primaryCustomer": CUSTOMER_REF,
        "customFields": list(custom_fields),
        "_embedded": {"threads": copy.deepcopy(threads)},
        "_links": {
            "self": {"href": f"https://api.helpscout.net/v2/conversations/{conversation_id}"},
            "mailbox": {"href": f"https://api.helpscout.net/v2/mailboxes/{mailbox_id}"},
        },
    }
    if assignee is None:
        del body["assignee"]
    return body


def customer(customer_id: int = 4321, *, first="Vernon", minutes: int = 0) -> dict:
    return {
        "id": customer_id,
        "firstName": first,
        "lastName": "Bear",
        "jobTitle": "CEO",
        "organization": "Acme, Inc",
        "createdAt": stamp(0),
        "updatedAt": stamp(minutes),
        "_embedded": {
            "emails": [{"id": 1, "value": f"customer{customer_id}@example.com", "type": "work"}],
            "phones": [],
            "social_profiles": [],
            "websites": [],
            "properties": [],
        },
        "_links": {"self": {"href": f"https://api.helpscout.net/v2/customers/{customer_id}"}},
    }


def tag(tag_id: int = 11, *, name="vip", minutes: int = 0) -> dict:
    return {
        "id": tag_id,
        "slug": name.lower(),
        "name": name,
        "color": "#929499",
        "createdAt": stamp(0),
        "updatedAt": stamp(minutes),
        "ticketCount": 0,
    }


def rating(rating_id: int = 5434, *, conversation_id: int = 1001, value="Great") -> dict:
    """`satisfaction.ratings` body: the conversation is `ticketId`, the customer nested."""
    return {
        "id": rating_id,
        "customer": {
            "id": 4321,
            "firstName": "Vernon",
            "lastName": "Bear",
            "emails": [{"id": 1, "value": "vbear@mywork.com", "location": "work"}],
        },
        "ticketId": conversation_id,
        "threadId": conversation_id * 10 + 1,
        "mailbox": {"id": 85, "name": "Support"},
        "rating": value,
        "comments": "she was really helpful",
        "createdAt": stamp(5),
        "modifiedAt": stamp(5),
    }


def beacon_chat(chat_id: int = 77) -> dict:
    return {
        "id": chat_id,
        "beaconId": "3f1e2d9c",
        "customer": {"id": 4321, "email": "vbear@mywork.com"},
        "createdAt": stamp(1),
        "preview": "Is anyone there?",
    }


def survey_response(response_id: int = 88) -> dict:
    return {
        "id": response_id,
        "surveyId": 5,
        "customerId": 4321,
        "answer": "9",
        "createdAt": stamp(2),
    }
