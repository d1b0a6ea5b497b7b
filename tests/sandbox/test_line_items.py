"""Status, assignment, moves, customer changes and merges leave `lineitem` threads, as in
Help Scout (thread type "lineitem", `action` {type, text, associatedEntities})."""

from .test_conversations import create


def line_items(api, conversation_id):
    threads = api.get(f"/conversations/{conversation_id}", params={"embed": "threads"}).json()[
        "_embedded"
    ]["threads"]
    return [t for t in threads if t["type"] == "lineitem"]


def patch(api, conversation_id, op, path, value=None):
    body = {"op": op, "path": path}
    if value is not None:
        body["value"] = value
    response = api.patch(f"/conversations/{conversation_id}", json=body)
    assert response.status_code == 204, response.text


def test_a_status_change_adds_a_line_item_saying_who_did_it(api, sandbox):
    mailbox_id = min(sandbox.store.mailboxes)
    conversation_id = create(api, mailbox_id)
    patch(api, conversation_id, "replace", "/status", "closed")

    (item,) = line_items(api, conversation_id)
    assert item["action"] == {
        "type": "default",
        "text": "Ana Agent marked as Closed",
        "associatedEntities": {},
    }
    assert item["status"] == "closed" and item["createdBy"]["type"] == "user"
    assert item["body"] == ""
    # Line items are not counted in the conversation's `threads` (v1's rule).
    assert api.get(f"/conversations/{conversation_id}").json()["threads"] == 1


def test_assignment_move_and_customer_change_each_add_one(api, sandbox):
    mailbox_id = min(sandbox.store.mailboxes)
    other_mailbox = sandbox.create_mailbox("Billing")["id"]
    user_id = min(sandbox.store.users)
    conversation_id = create(api, mailbox_id)
    other_customer = sandbox.create_customer("bea@example.com", "Bea", "Buyer")["id"]

    patch(api, conversation_id, "replace", "/assignTo", user_id)
    patch(api, conversation_id, "remove", "/assignTo")
    patch(api, conversation_id, "move", "/mailboxId", other_mailbox)
    patch(api, conversation_id, "replace", "/primaryCustomer.id", other_customer)

    items = line_items(api, conversation_id)  # newest first
    assert [i["action"]["text"] for i in reversed(items)] == [
        "Ana Agent assigned to Ana Agent",
        "Ana Agent assigned to Anyone",
        "Ana Agent moved this conversation from Support mailbox",
        "Ana Agent changed the customer to Bea Buyer",
    ]
    moved = items[1]
    assert moved["action"]["type"] == "moved-from-mailbox"
    assert moved["action"]["associatedEntities"] == {"mailbox": mailbox_id}
    assert all(i["status"] == "nochange" for i in items)


def test_tags_and_subject_add_no_line_item(api, sandbox):
    conversation_id = create(api, min(sandbox.store.mailboxes))
    api.put(f"/conversations/{conversation_id}/tags", json={"tags": ["vip"]})
    patch(api, conversation_id, "replace", "/subject", "New subject")
    assert line_items(api, conversation_id) == []


def test_a_merge_adds_a_line_item_to_the_survivor(api, sandbox):
    mailbox_id = min(sandbox.store.mailboxes)
    source = create(api, mailbox_id)
    survivor = create(api, mailbox_id)
    number = api.get(f"/conversations/{source}").json()["number"]
    sandbox.merge_conversations(source, survivor)
    (item,) = line_items(api, survivor)
    assert item["action"]["type"] == "merged"
    assert item["action"]["text"] == f"Ana Agent merged #{number} into this conversation"
    assert item["action"]["associatedEntities"] == {"conversation": source}
