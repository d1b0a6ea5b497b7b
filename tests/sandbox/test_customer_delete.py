"""Help Scout's GDPR customer delete in the sandbox: synchronous (204, 403 over 100
conversations), asynchronous (202, then `customer.deleted`), and the data gone from
every API answer afterwards."""

from helpscout_integration.sandbox.mailbox_api.customer_delete import (
    TOO_MANY,
    wait_for_async_deletes,
)


def _gone_everywhere(api, sandbox, customer_id, email, conversation_ids):
    assert api.get(f"/customers/{customer_id}").status_code == 404
    found = api.get("/customers", params={"query": f'(email:"{email}")'}).json()
    assert found["page"]["totalElements"] == 0
    for conversation_id in conversation_ids:
        assert api.get(f"/conversations/{conversation_id}").status_code == 404
    listed = api.get("/conversations", params={"status": "all"}).json()
    remaining = [c["id"] for c in listed.get("_embedded", {}).get("conversations", [])]
    assert not set(conversation_ids) & set(remaining)
    assert all(r.customer_id != customer_id for r in sandbox.store.ratings.values())


def test_sync_delete_removes_customer_conversations_and_ratings(api, sandbox):
    first = sandbox.create_conversation(customer_email="gone@example.com")
    second = sandbox.create_conversation(customer_email="gone@example.com")
    other = sandbox.create_conversation(customer_email="stays@example.com")
    customer_id = first["primaryCustomer"]["id"]
    sandbox.rate_conversation(first["id"], "great", "Kind words")
    assert api.delete(f"/customers/{customer_id}").status_code == 204
    _gone_everywhere(api, sandbox, customer_id, "gone@example.com", [first["id"], second["id"]])
    assert api.get(f"/conversations/{other['id']}").status_code == 200


def test_over_100_conversations_sync_is_403_and_nothing_is_deleted(api, sandbox):
    for _ in range(101):
        sandbox.create_conversation(customer_email="loyal@example.com")
    loyal = sandbox.store.customer_by_email("loyal@example.com").id
    response = api.delete(f"/customers/{loyal}")
    assert response.status_code == 403
    assert TOO_MANY in response.text
    assert api.get(f"/customers/{loyal}").status_code == 200
    assert len(sandbox.store.conversations_of(loyal)) == 101


def test_async_delete_answers_202_then_deletes_and_sends_customer_deleted(api, sandbox, receiver):
    sandbox.register_webhook(receiver.url, "secret", events=["customer.deleted"])
    for _ in range(101):
        sandbox.create_conversation(customer_email="loyal@example.com")
    loyal = sandbox.store.customer_by_email("loyal@example.com").id
    owned = sandbox.store.conversations_of(loyal)
    assert api.delete(f"/customers/{loyal}", params={"async": "true"}).status_code == 202
    assert wait_for_async_deletes(sandbox)
    assert sandbox.wait_for_deliveries(5)
    assert receiver.payloads() == [{"id": loyal}]
    _gone_everywhere(api, sandbox, loyal, "loyal@example.com", owned[:5])


def test_deleting_an_unknown_customer_is_404(api):
    assert api.delete("/customers/999999").status_code == 404
    assert api.delete("/customers/999999", params={"async": "true"}).status_code == 404
