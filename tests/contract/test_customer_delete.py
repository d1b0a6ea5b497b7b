"""Help Scout's GDPR customer delete, pinned from its pages, so the app's client and the
sandbox must both agree with Help Scout (not with each other):

- "Delete Customer", https://developer.helpscout.com/mailbox-api/endpoints/customers/delete
  `DELETE /v2/customers/{id}` -> 204 No Content; 403 Forbidden when the customer has
  more than 100 conversations (or the user cannot see them all).
- "Delete Customer Asynchronously",
  https://developer.helpscout.com/mailbox-api/endpoints/customers/delete-async
  `DELETE /v2/customers/{id}?async=true` -> 202 Accepted; completion is the
  `customer.deleted` webhook, whose body is `{"id": <customer id>}`.
"""

import pytest

from helpscout_integration.client import HelpScoutClient
from helpscout_integration.exceptions import NotFoundError, PermissionDeniedError
from helpscout_integration.sandbox import Sandbox
from helpscout_integration.sandbox.mailbox_api.customer_delete import wait_for_async_deletes

DOCUMENTED = {"sync": 204, "async": 202, "over_100_sync": 403}
DELETED_WEBHOOK_BODY_KEYS = {"id"}


@pytest.fixture
def sb():
    with Sandbox(rate_limit_per_minute=None, write_burst=None) as sandbox:
        sandbox.create_mailbox("Support", "support@example.com")
        yield sandbox


@pytest.fixture
def client(sb):
    with HelpScoutClient(
        app_id="a", app_secret="s", api_base_url=sb.api_base_url, token_url=sb.token_url
    ) as client:
        yield client


def test_sync_delete_is_204_and_the_customer_is_gone(sb, client):
    customer_id = sb.create_customer("sync@example.com", "Sync")["id"]
    assert client.customers.delete(customer_id) == DOCUMENTED["sync"]
    with pytest.raises(NotFoundError):
        client.customers.get(customer_id)


def test_over_100_conversations_sync_is_403_async_is_202(sb, client):
    for _ in range(101):
        sb.create_conversation(customer_email="many@example.com")
    customer_id = sb.store.customer_by_email("many@example.com").id
    with pytest.raises(PermissionDeniedError) as refused:
        client.customers.delete(customer_id)
    assert refused.value.status_code == DOCUMENTED["over_100_sync"]
    assert client.customers.delete(customer_id, asynchronous=True) == DOCUMENTED["async"]
    assert wait_for_async_deletes(sb)
    with pytest.raises(NotFoundError):
        client.customers.get(customer_id)


def test_customer_deleted_webhook_body_is_just_the_id(sb):
    sent = []
    sb.store.on_event, previous = (lambda e, k, o: sent.append((e, o))), sb.store.on_event
    try:
        customer_id = sb.create_customer("hook@example.com", "Hook")["id"]
        sb.store.delete_customer(customer_id)
    finally:
        sb.store.on_event = previous
    deleted = [obj for event, obj in sent if event == "customer.deleted"]
    assert deleted == [{"id": customer_id}]
    assert set(deleted[0]) == DELETED_WEBHOOK_BODY_KEYS
