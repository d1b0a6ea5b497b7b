"""Conversations: creates, threads, PATCH operations, tags, deletes, and every list filter."""

import time
from urllib.parse import urlsplit

import pytest

NEW = {
    "subject": "Printer on fire",
    "type": "email",
    "mailboxId": None,
    "status": "active",
    "customer": {"email": "pat@example.com", "firstName": "Pat"},
    "threads": [{"type": "customer", "text": "It is really on fire."}],
    "tags": ["urgent"],
}


@pytest.fixture
def mailbox_id(sandbox):
    return min(sandbox.store.mailboxes)


@pytest.fixture
def user_id(sandbox):
    return min(sandbox.store.users)


def create(api, mailbox_id, **changes):
    response = api.post("/conversations", json={**NEW, "mailboxId": mailbox_id, **changes})
    assert response.status_code == 201, response.text
    return int(response.headers["Resource-ID"])


def test_create_answers_201_with_empty_body_location_and_resource_id(api, mailbox_id):
    response = api.post("/conversations", json={**NEW, "mailboxId": mailbox_id})
    assert response.status_code == 201
    assert response.content == b""
    new_id = int(response.headers["Resource-ID"])
    location = response.headers["Location"]
    assert location.endswith(f"/v2/conversations/{new_id}")
    fetched = api.get(urlsplit(location).path.removeprefix("/v2"), params={"embed": "threads"})
    body = fetched.json()
    assert body["id"] == new_id and body["subject"] == "Printer on fire"
    assert body["primaryCustomer"]["email"] == "pat@example.com"
    assert [t["tag"] for t in body["tags"]] == ["urgent"]
    assert body["threads"] == 1 and body["_embedded"]["threads"][0]["type"] == "customer"
    assert body["createdAt"].endswith("Z") and body["userUpdatedAt"].endswith("Z")


def test_create_makes_the_customer_once_per_email(api, sandbox, mailbox_id):
    create(api, mailbox_id)
    create(api, mailbox_id)
    assert [c.email for c in sandbox.store.customers.values()] == ["pat@example.com"]


def test_invalid_create_lists_every_field_error(api, mailbox_id):
    response = api.post(
        "/conversations",
        json={"type": "fax", "mailboxId": 999, "customer": {"email": "nope"}, "threads": []},
    )
    assert response.status_code == 400
    body = response.json()
    assert body["logRef"] and body["message"]
    errors = {e["path"]: e for e in body["_embedded"]["errors"]}
    assert set(errors) >= {"subject", "type", "status", "mailboxId", "customer.email", "threads"}
    assert errors["type"]["rejectedValue"] == "fax"
    # `rejectedValue` only where a value was sent (no subject was); every error and the
    # top level link to Help Scout's errors page.
    assert "rejectedValue" not in errors["subject"]
    assert all(
        set(e) - {"rejectedValue"} == {"path", "message", "source", "_links"}
        for e in errors.values()
    )
    assert all(e["_links"]["about"]["href"] for e in errors.values())
    assert body["_links"]["about"]["href"]


def test_invalid_thread_types_and_malformed_json_are_400(api, mailbox_id):
    bad = api.post(
        "/conversations",
        json={**NEW, "mailboxId": mailbox_id, "threads": [{"type": "tweet", "text": "x"}]},
    )
    assert bad.status_code == 400
    assert bad.json()["_embedded"]["errors"][0]["path"] == "threads[0].type"
    malformed = api.post(
        "/conversations", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert malformed.status_code == 400 and "JSON" in malformed.json()["message"]


@pytest.mark.parametrize(
    ("endpoint", "thread_type", "event_status"),
    [
        ("reply", "message", "closed"),
        ("notes", "note", None),
        ("customer", "customer", None),
        ("phones", "phone", None),
    ],
)
def test_thread_endpoints_add_threads_and_update_the_conversation(
    api, sandbox, mailbox_id, user_id, endpoint, thread_type, event_status
):
    conversation_id = create(api, mailbox_id, status="pending")
    before = api.get(f"/conversations/{conversation_id}").json()
    modified_before = sandbox.store.conversations[conversation_id].modified_at
    body = {"text": "<p>More</p>", "user": user_id}
    if event_status:
        body["status"] = event_status
    response = api.post(f"/conversations/{conversation_id}/{endpoint}", json=body)
    assert response.status_code == 201 and response.content == b""
    thread_id = int(response.headers["Resource-ID"])
    after = api.get(f"/conversations/{conversation_id}", params={"embed": "threads"}).json()
    assert after["threads"] == 2
    newest = after["_embedded"]["threads"][0]
    assert (newest["id"], newest["type"]) == (thread_id, thread_type)
    # Timestamps show whole seconds, like Help Scout's; the time behind them moved on.
    assert after["userUpdatedAt"] >= before["userUpdatedAt"]
    assert sandbox.store.conversations[conversation_id].modified_at > modified_before
    expected_status = {"reply": "closed", "customer": "active"}.get(endpoint, "pending")
    assert after["status"] == expected_status
    threads = api.get(f"/conversations/{conversation_id}/threads").json()
    assert [t["id"] for t in threads["_embedded"]["threads"]][0] == thread_id


def test_thread_on_a_missing_conversation_is_404(api):
    response = api.post("/conversations/42/reply", json={"text": "hi"})
    assert response.status_code == 404


def test_patch_operations(api, sandbox, mailbox_id, user_id):
    other = sandbox.create_mailbox("Billing")["id"]
    conversation_id = create(api, mailbox_id)
    customer = sandbox.create_customer("other@example.com", "Other")["id"]
    operations = [
        ({"op": "replace", "path": "/subject", "value": "New subject"}, "subject", "New subject"),
        ({"op": "replace", "path": "/status", "value": "closed"}, "status", "closed"),
        ({"op": "replace", "path": "/assignTo", "value": user_id}, "assignee", user_id),
        ({"op": "move", "path": "/mailboxId", "value": other}, "mailboxId", other),
        (
            {"op": "replace", "path": "/primaryCustomer.id", "value": customer},
            "primaryCustomer",
            customer,
        ),
    ]
    for operation, field, expected in operations:
        response = api.patch(f"/conversations/{conversation_id}", json=operation)
        assert response.status_code == 204 and response.content == b""
        value = api.get(f"/conversations/{conversation_id}").json()[field]
        assert (value["id"] if isinstance(value, dict) else value) == expected
    api.patch(f"/conversations/{conversation_id}", json={"op": "remove", "path": "/assignTo"})
    assert "assignee" not in api.get(f"/conversations/{conversation_id}").json()


@pytest.mark.parametrize(
    ("operation", "path"),
    [
        ({"op": "replace", "path": "/colour", "value": "red"}, "path"),
        ({"op": "remove", "path": "/subject"}, "op"),
        ({"op": "replace", "path": "/status", "value": "archived"}, "value"),
        ({"op": "replace", "path": "/assignTo", "value": 1}, "value"),
        ({"op": "move", "path": "/mailboxId", "value": 1}, "value"),
    ],
)
def test_invalid_patches_are_400(api, mailbox_id, operation, path):
    conversation_id = create(api, mailbox_id)
    response = api.patch(f"/conversations/{conversation_id}", json=operation)
    assert response.status_code == 400
    assert response.json()["_embedded"]["errors"][0]["path"] == path


def test_put_tags_replaces_all_tags_and_creates_new_ones(api, sandbox, mailbox_id):
    conversation_id = create(api, mailbox_id)
    response = api.put(f"/conversations/{conversation_id}/tags", json={"tags": ["a", "b"]})
    assert response.status_code == 204
    tags = api.get(f"/conversations/{conversation_id}").json()["tags"]
    assert sorted(t["tag"] for t in tags) == ["a", "b"]
    assert {"a", "b", "urgent"} <= {t["name"] for t in api.get("/tags").json()["_embedded"]["tags"]}
    assert api.put(f"/conversations/{conversation_id}/tags", json={"tags": "a"}).status_code == 400


def test_custom_fields(api, sandbox, mailbox_id):
    conversation_id = create(api, mailbox_id)
    field = api.get(f"/mailboxes/{mailbox_id}/fields").json()["_embedded"]["fields"][0]
    response = api.put(
        f"/conversations/{conversation_id}/fields",
        json={"fields": [{"id": field["id"], "value": "A-123"}]},
    )
    assert response.status_code == 204
    custom = api.get(f"/conversations/{conversation_id}").json()["customFields"]
    assert custom == [{"id": field["id"], "name": field["name"], "value": "A-123", "text": "A-123"}]
    unknown = api.put(f"/conversations/{conversation_id}/fields", json={"fields": [{"id": 1}]})
    assert unknown.status_code == 400


def test_deleted_conversations_vanish_and_answer_404(api, mailbox_id):
    conversation_id = create(api, mailbox_id)
    assert api.delete(f"/conversations/{conversation_id}").status_code == 204
    assert api.get(f"/conversations/{conversation_id}").status_code == 404
    listed = api.get("/conversations", params={"status": "all"}).json()
    assert "_embedded" not in listed  # it was the only one: the list is empty
    assert api.delete(f"/conversations/{conversation_id}").status_code == 404


def test_every_change_moves_the_modification_time_used_by_modified_since(api, sandbox, mailbox_id):
    old = create(api, mailbox_id)
    changed = create(api, mailbox_id)
    checkpoint = api.get(f"/conversations/{changed}").json()["userUpdatedAt"]
    time.sleep(1.01)
    api.put(f"/conversations/{changed}/tags", json={"tags": ["later"]})
    after = api.get(f"/conversations/{changed}").json()["userUpdatedAt"]
    listed = api.get("/conversations", params={"status": "all", "modifiedSince": after}).json()
    ids = [c["id"] for c in listed["_embedded"]["conversations"]]
    assert ids == [changed]  # inclusive (>=) at whole seconds; the older one is left out
    everything = api.get("/conversations", params={"status": "all", "modifiedSince": checkpoint})
    # Both were created within the checkpoint's second: inclusive means both come back.
    assert {c["id"] for c in everything.json()["_embedded"]["conversations"]} == {old, changed}
    bad = api.get("/conversations", params={"modifiedSince": "yesterday"})
    assert bad.status_code == 400
    assert bad.json()["_embedded"]["errors"][0]["path"] == "modifiedSince"


def test_a_customer_thread_moves_customer_waiting_since_not_user_updated_at(
    api, sandbox, mailbox_id, user_id
):
    """Help Scout's userUpdatedAt is the last change by a user; a customer's reply moves
    customerWaitingSince (time and latestReplyFrom) instead."""
    conversation_id = create(api, mailbox_id)
    before = api.get(f"/conversations/{conversation_id}").json()
    sandbox.clock.advance(5)
    api.post(f"/conversations/{conversation_id}/customer", json={"text": "Still broken"})
    after = api.get(f"/conversations/{conversation_id}").json()
    assert after["userUpdatedAt"] == before["userUpdatedAt"]
    assert after["customerWaitingSince"]["time"] > before["customerWaitingSince"]["time"]
    assert after["customerWaitingSince"]["latestReplyFrom"] == "customer"
    # ...and modifiedSince still finds it (lists filter by the modification time).
    listed = api.get(
        "/conversations",
        params={"status": "all", "modifiedSince": after["customerWaitingSince"]["time"]},
    ).json()["_embedded"]["conversations"]
    assert [c["id"] for c in listed] == [conversation_id]

    sandbox.clock.advance(5)
    api.post(f"/conversations/{conversation_id}/reply", json={"text": "Fixed", "user": user_id})
    replied = api.get(f"/conversations/{conversation_id}").json()
    assert replied["userUpdatedAt"] > after["userUpdatedAt"]
    assert replied["customerWaitingSince"]["time"] == after["customerWaitingSince"]["time"]
    assert replied["customerWaitingSince"]["latestReplyFrom"] == "user"

    sandbox.clock.advance(5)
    api.patch(
        f"/conversations/{conversation_id}",
        json={"op": "replace", "path": "/status", "value": "closed"},
    )
    closed = api.get(f"/conversations/{conversation_id}").json()
    assert closed["userUpdatedAt"] > replied["userUpdatedAt"]
    assert closed["customerWaitingSince"] == replied["customerWaitingSince"]


# -- filters on the demo seed (read only) -----------------------------------------------------


def _all(api, **params):
    items, page = [], 1
    while True:
        body = api.get("/conversations", params={**params, "page": page}).json()
        items.extend(body["_embedded"]["conversations"])
        if "next" not in body["_links"]:
            return items
        page += 1


def test_status_defaults_to_active_and_all_lists_every_status(demo_api):
    default = demo_api.get("/conversations").json()
    assert {c["status"] for c in default["_embedded"]["conversations"]} == {"active"}
    every = demo_api.get("/conversations", params={"status": "all"}).json()
    by_status = {
        status: demo_api.get("/conversations", params={"status": status}).json()["page"][
            "totalElements"
        ]
        for status in ("active", "pending", "closed", "spam")
    }
    assert all(by_status.values())
    assert sum(by_status.values()) == every["page"]["totalElements"] == 2000
    open_total = demo_api.get("/conversations", params={"status": "open"}).json()
    assert open_total["page"]["totalElements"] == by_status["active"] + by_status["pending"]
    assert demo_api.get("/conversations", params={"status": "archived"}).status_code == 400


def test_mailbox_tag_and_assignee_filters(demo, demo_api):
    mailbox = min(demo.store.mailboxes)
    items = _all(demo_api, status="all", mailbox=mailbox)
    assert items and {c["mailboxId"] for c in items} == {mailbox}
    assert len(items) == sum(
        1 for c in demo.store.conversations.values() if c.mailbox_id == mailbox
    )
    tagged = _all(demo_api, status="all", tag="billing")
    assert tagged and all("billing" in [t["tag"] for t in c["tags"]] for c in tagged)
    user = min(demo.store.users)
    assigned = _all(demo_api, status="all", assigned_to=user)
    assert assigned and {c["assignee"]["id"] for c in assigned} == {user}


def test_query_subset(demo, demo_api):
    conversation = next(iter(demo.store.conversations.values()))
    email = demo.store.customers[conversation.customer_id].email
    found = _all(demo_api, status="all", query=f'(email:"{email}")')
    assert found and {c["primaryCustomer"]["email"] for c in found} == {email}
    combined = _all(demo_api, query=f'(email:"{email}" AND status:closed)')
    assert {c["status"] for c in combined} <= {"closed"}
    assert {c["id"] for c in combined} <= {c["id"] for c in found}
    subject = _all(demo_api, status="all", query='(subject:"refund")')
    assert subject and all("refund" in c["subject"].lower() for c in subject)
    tag = _all(demo_api, status="all", query="(tag:vip)")
    assert tag == _all(demo_api, status="all", tag="vip")
    unsupported = demo_api.get("/conversations", params={"query": "(body:x OR"})
    assert unsupported.status_code == 400


@pytest.mark.parametrize("sort_field", ["modifiedAt", "createdAt", "number"])
def test_sorting(demo_api, sort_field):
    key = {"modifiedAt": "userUpdatedAt", "createdAt": "createdAt", "number": "number"}[sort_field]
    for order in ("asc", "desc"):
        page = demo_api.get(
            "/conversations", params={"status": "all", "sortField": sort_field, "sortOrder": order}
        ).json()["_embedded"]["conversations"]
        values = [c[key] for c in page]
        assert values == sorted(values, reverse=order == "desc")
    assert demo_api.get("/conversations", params={"sortField": "colour"}).status_code == 400


def test_embed_threads_matches_the_thread_count(demo_api):
    page = demo_api.get("/conversations", params={"status": "all", "embed": "threads"}).json()
    for conversation in page["_embedded"]["conversations"]:
        threads = conversation["_embedded"]["threads"]
        assert len(threads) == conversation["threads"]
        single = demo_api.get(f"/conversations/{conversation['id']}", params={"embed": "threads"})
        assert single.json()["_embedded"]["threads"] == threads
    plain = demo_api.get("/conversations").json()["_embedded"]["conversations"][0]
    assert "_embedded" not in plain
