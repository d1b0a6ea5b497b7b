"""Smaller shape facts of Help Scout's conversations the sandbox must tell the truth about:
the closer sentinel of open conversations, latestReplyFrom, the sort fields customerName
and waitingSince, and the customFieldsByIds filter."""

from helpscout_integration.payloads import parse_conversation


def test_an_open_conversation_has_the_unknown_closer_and_it_is_not_a_person(sandbox, api):
    created = sandbox.create_conversation(subject="Open")
    shaped = api.get(f"/conversations/{created['id']}").json()
    assert shaped["closedBy"] == 0
    assert shaped["closedByUser"]["id"] == 0 and shaped["closedByUser"]["email"] == "unknown"
    parsed = parse_conversation(shaped)
    assert parsed.assignee is None and parsed.customer.id != 0
    assert "closed_by_id" not in parsed.fields  # the sentinel never becomes a person


def test_a_conversation_closed_by_its_assignee_names_the_closer(sandbox, api):
    user_id = min(sandbox.store.users)
    created = sandbox.create_conversation(subject="Closed", assignee_id=user_id)
    sandbox.update_conversation(created["id"], status="closed")
    shaped = api.get(f"/conversations/{created['id']}").json()
    assert shaped["closedBy"] == shaped["closedByUser"]["id"] == user_id
    assert shaped["closedByUser"]["email"] == "ana@example.com"


def test_latest_reply_from_follows_the_latest_reply(sandbox, api):
    user_id = min(sandbox.store.users)
    created = sandbox.create_conversation(subject="Waiting")
    waiting = api.get(f"/conversations/{created['id']}").json()["customerWaitingSince"]
    assert waiting["latestReplyFrom"] == "customer"
    sandbox.add_thread(created["id"], type="reply", text="On it", user_id=user_id)
    waiting = api.get(f"/conversations/{created['id']}").json()["customerWaitingSince"]
    assert waiting["latestReplyFrom"] == "user"
    sandbox.add_thread(created["id"], type="note", text="internal", user_id=user_id)
    sandbox.add_thread(created["id"], type="customer", text="Thanks")
    waiting = api.get(f"/conversations/{created['id']}").json()["customerWaitingSince"]
    assert waiting["latestReplyFrom"] == "customer"


def test_lists_sort_by_customer_name_and_waiting_since(sandbox, api):
    for first, subject in [("Zoe", "a"), ("Adam", "b"), ("Mia", "c")]:
        customer = sandbox.create_customer(f"{first}@example.com", first_name=first)
        sandbox.create_conversation(customer_id=customer["id"], subject=subject)
    by_name = api.get("/conversations", params={"sortField": "customerName", "sortOrder": "asc"})
    assert by_name.status_code == 200
    names = [c["primaryCustomer"]["first"] for c in by_name.json()["_embedded"]["conversations"]]
    assert names == ["Adam", "Mia", "Zoe"]
    waiting = api.get("/conversations", params={"sortField": "waitingSince", "sortOrder": "asc"})
    assert waiting.status_code == 200
    assert [c["subject"] for c in waiting.json()["_embedded"]["conversations"]] == ["a", "b", "c"]


def test_custom_fields_by_ids_filters_conversations(sandbox, api):
    mailbox_id = min(sandbox.store.mailboxes)
    field = sandbox.store.custom_fields[mailbox_id][0]  # every mailbox has "Order number"
    one = sandbox.create_conversation(subject="blue")
    sandbox.create_conversation(subject="other")
    assert (
        api.put(
            f"/conversations/{one['id']}/fields",
            json={"fields": [{"id": field.id, "value": "blue"}]},
        ).status_code
        == 204
    )
    found = api.get(
        "/conversations", params={"mailbox": mailbox_id, "customFieldsByIds": f"{field.id}:blue"}
    )
    assert [c["id"] for c in found.json()["_embedded"]["conversations"]] == [one["id"]]
    bad = api.get(
        "/conversations", params={"mailbox": mailbox_id, "customFieldsByIds": "plan=blue"}
    )
    assert bad.status_code == 400
