"""Webhook deliveries: signed like Help Scout (checked here with our own HMAC), the right
event for each change, retried with backoff, and duplicated or reordered on request."""

import base64
import hashlib
import hmac
import json

import pytest

from helpscout_integration.sandbox import Sandbox

SECRET = "whsec-test"


def expected_signature(body: bytes, secret: str = SECRET) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha1).digest()).decode()


@pytest.fixture
def hooked(sandbox, receiver):
    sandbox.register_webhook(receiver.url, SECRET)
    return sandbox


def test_deliveries_are_signed_with_base64_hmac_sha1_of_the_raw_body(hooked, receiver):
    created = hooked.create_conversation(customer_email="w@example.com", subject="Signed")
    assert hooked.wait_for_deliveries(5)
    by_event = {r["headers"]["x-helpscout-event"]: r for r in receiver.requests}
    assert set(by_event) == {"customer.created", "convo.created"}
    for request in receiver.requests:
        assert request["headers"]["x-helpscout-signature"] == expected_signature(request["body"])
        assert request["headers"]["content-type"] == "application/json"
    body = json.loads(by_event["convo.created"]["body"])
    assert body["id"] == created["id"]  # the object itself, not an envelope
    assert body["_embedded"]["threads"][0]["type"] == "customer"
    assert json.loads(by_event["customer.created"]["body"])["_embedded"]["emails"][0]["value"] == (
        "w@example.com"
    )


def test_each_change_emits_its_event(hooked, receiver):
    other_mailbox = hooked.create_mailbox("Other")["id"]
    user = min(hooked.store.users)
    conversation = hooked.create_conversation(customer_email="e@example.com")["id"]
    hooked.add_thread(conversation, "customer", "more")
    hooked.add_thread(conversation, "reply", "answer", user_id=user)
    hooked.add_thread(conversation, "note", "psst", user_id=user)
    hooked.update_conversation(conversation, status="pending")
    hooked.update_conversation(conversation, assignee_id=user)
    hooked.update_conversation(conversation, mailbox_id=other_mailbox)
    hooked.update_conversation(conversation, tags=["brand-new"])
    second = hooked.create_conversation(customer_email="e@example.com")["id"]
    hooked.merge_conversations(second, conversation)
    hooked.delete_conversation(conversation)
    assert hooked.wait_for_deliveries(5)
    assert receiver.events() == [
        "customer.created",
        "convo.created",
        "convo.customer.reply.created",
        "convo.agent.reply.created",
        "convo.note.created",
        "convo.status",
        "convo.assigned",
        "convo.moved",
        "tag.created",
        "convo.tags",
        "convo.created",
        "convo.merged",
        "convo.deleted",
    ]
    payloads = receiver.payloads()
    assert payloads[-1] == {"id": conversation}
    assert payloads[5]["status"] == "pending"
    assert payloads[7]["mailboxId"] == other_mailbox
    assert payloads[8]["name"] == "brand-new"
    merged = payloads[11]
    assert merged["id"] == conversation and merged["threads"] == 5


def test_api_changes_emit_webhooks_too(sandbox, receiver, api):
    sandbox.register_webhook(receiver.url, SECRET, events=["convo.created", "customer.updated"])
    mailbox = min(sandbox.store.mailboxes)
    created = api.post(
        "/conversations",
        json={
            "subject": "s",
            "type": "email",
            "mailboxId": mailbox,
            "status": "active",
            "customer": {"email": "api@example.com"},
            "threads": [{"type": "customer", "text": "hi"}],
        },
    )
    customer = sandbox.store.customer_by_email("api@example.com").id
    api.put(f"/customers/{customer}", json={"firstName": "Api"})
    api.patch(
        f"/conversations/{created.headers['Resource-ID']}",
        json={"op": "replace", "path": "/status", "value": "closed"},
    )
    assert sandbox.wait_for_deliveries(5)
    # Filtered by the webhook's events: no customer.created, no convo.status.
    assert receiver.events() == ["convo.created", "customer.updated"]
    assert receiver.payloads()[1]["firstName"] == "Api"


def test_webhooks_registered_over_the_api_are_delivered(sandbox, receiver, api):
    response = api.post(
        "/webhooks", json={"url": receiver.url, "events": ["convo.created"], "secret": "api-secret"}
    )
    assert response.status_code == 201
    sandbox.create_conversation(customer_email="x@example.com")
    assert sandbox.wait_for_deliveries(5)
    request = receiver.requests[0]
    assert request["headers"]["x-helpscout-signature"] == expected_signature(
        request["body"], "api-secret"
    )


def test_webhook_url_option_subscribes_to_everything(receiver):
    with Sandbox(webhook_url=receiver.url, webhook_secret=SECRET) as sb:
        sb.create_tag("hello")
        assert sb.wait_for_deliveries(5)
        assert sb.helpscout_settings()["WEBHOOK_SECRET"] == [SECRET]
    assert receiver.events() == ["tag.created"]
    with pytest.raises(ValueError, match="secret"):
        Sandbox(webhook_url=receiver.url)


def test_failed_deliveries_are_retried_with_backoff_until_accepted(hooked, receiver):
    receiver.statuses = [500, 503]
    hooked.create_tag("retry-me")
    assert hooked.wait_for_deliveries(5)
    assert receiver.events() == ["tag.created"] * 3
    assert len({r["body"] for r in receiver.requests}) == 1  # the same delivery again
    (delivery,) = hooked.webhook_deliveries
    assert delivery.attempts == [500, 503, 200] and delivery.delivered


def test_retries_are_bounded(receiver):
    with Sandbox(
        webhook_url=receiver.url, webhook_secret=SECRET, webhook_retry_delays=(0.01, 0.02)
    ) as sb:
        receiver.statuses = [500] * 10
        sb.create_tag("never")
        assert sb.wait_for_deliveries(5)
        (delivery,) = sb.webhook_deliveries
        assert delivery.attempts == [500, 500, 500]
        assert delivery.gave_up and not delivery.delivered


def test_unreachable_url_is_a_failed_attempt(sandbox):
    sandbox.register_webhook("http://127.0.0.1:9/nothing", SECRET)
    sandbox._dispatcher.retry_delays = (0.01,)
    sandbox.create_tag("lost")
    assert sandbox.wait_for_deliveries(10)
    (delivery,) = sandbox.webhook_deliveries
    assert delivery.gave_up and all(isinstance(a, str) for a in delivery.attempts)


def test_duplicates_on_purpose(hooked, receiver):
    hooked.webhook_options(duplicate=True)
    hooked.create_tag("twice")
    assert hooked.wait_for_deliveries(5)
    assert receiver.events() == ["tag.created", "tag.created"]
    assert receiver.requests[0]["body"] == receiver.requests[1]["body"]


def test_shuffled_order_on_purpose(hooked, receiver):
    hooked.webhook_options(shuffle=True)
    with hooked.store.lock:  # one burst
        for n in range(20):
            hooked.create_tag(f"tag-{n:02d}")
    assert hooked.wait_for_deliveries(5)
    names = [p["name"] for p in receiver.payloads()]
    assert sorted(names) == [f"tag-{n:02d}" for n in range(20)]
    assert names != sorted(names)  # 1 chance in 20! of failing


def test_shuffle_can_deliver_an_older_version_after_a_newer_one(hooked, receiver):
    """Like Help Scout retrying a failed delivery later: a held delivery of a conversation
    arrives after a newer version of it."""
    created = hooked.create_conversation(customer_email="w@example.com", subject="v1")
    assert hooked.wait_for_deliveries(5)
    hooked.webhook_options(shuffle=True, seed=1)
    dispatcher = hooked._dispatcher
    dispatcher.late_share, dispatcher.late_delays = 1.0, (0.5,)  # hold the next one
    hooked.update_conversation(created["id"], subject="v2", status="pending")
    dispatcher.late_share = 0.0  # ...but not the one after
    hooked.update_conversation(created["id"], status="closed")
    assert hooked.wait_for_deliveries(5)
    statuses = [p["status"] for p in receiver.payloads() if p.get("id") == created["id"]]
    assert statuses == ["active", "closed", "pending"]  # the older one came last
    held = [d for d in hooked.webhook_deliveries if d.held_for]
    assert [d.held_for for d in held] == [0.5] and held[0].delivered


def test_mailbox_filter_and_notification_bodies(sandbox, receiver):
    other = sandbox.create_mailbox("Other")["id"]
    sandbox.register_webhook(
        receiver.url, SECRET, events=["convo.created"], mailbox_ids=[other], notification=True
    )
    sandbox.create_conversation(customer_email="a@example.com")  # first mailbox: filtered
    created = sandbox.create_conversation(mailbox_id=other, customer_email="a@example.com")
    assert sandbox.wait_for_deliveries(5)
    assert receiver.payloads() == [
        {"id": created["id"], "url": f"{sandbox.api_base_url}/conversations/{created['id']}"}
    ]


def test_delivery_log_over_http(hooked, receiver):
    import httpx

    hooked.create_tag("logged")
    assert hooked.wait_for_deliveries(5)
    log = httpx.get(f"{hooked.url}/sandbox/webhook-deliveries").json()["deliveries"]
    assert log[0]["event"] == "tag.created" and log[0]["delivered"] is True
    assert SECRET not in json.dumps(log)


def test_a_rating_over_http_is_delivered_as_satisfaction_ratings(hooked, receiver):
    import httpx

    agent = hooked.create_user("Ana", "Agent", "ana@example.com")["id"]
    convo = hooked.create_conversation(customer_email="r@example.com", subject="Rate me")
    hooked.add_thread(convo["id"], type="reply", text="Fixed", user_id=agent)
    assert hooked.wait_for_deliveries(5)
    receiver.requests.clear()

    answer = httpx.post(
        f"{hooked.url}/sandbox/ratings",
        json={"conversationId": convo["id"], "rating": "okay", "comments": "Slowish"},
    )

    assert answer.status_code == 201
    assert hooked.wait_for_deliveries(5)
    [request] = receiver.requests
    assert request["headers"]["x-helpscout-event"] == "satisfaction.ratings"
    body = json.loads(request["body"])
    assert body == answer.json()
    assert (body["conversationId"], body["rating"], body["comments"]) == (
        convo["id"], "okay", "Slowish"
    )  # fmt: skip
    assert body["user"]["id"] == agent


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"conversationId": 999_999, "rating": "great"}, 404),
        ({"conversationId": "x", "rating": "great"}, 400),
        ({"rating": "great"}, 400),
        ([1], 400),
    ],
)
def test_a_bad_rating_request_is_refused_and_delivers_nothing(hooked, receiver, body, status):
    import httpx

    answer = httpx.post(f"{hooked.url}/sandbox/ratings", json=body)

    assert answer.status_code == status
    assert hooked.wait_for_deliveries(5)
    assert receiver.requests == []


def test_an_unknown_rating_value_is_refused(hooked, receiver):
    import httpx

    convo = hooked.create_conversation(customer_email="r@example.com")
    assert hooked.wait_for_deliveries(5)
    receiver.requests.clear()

    answer = httpx.post(
        f"{hooked.url}/sandbox/ratings", json={"conversationId": convo["id"], "rating": "meh"}
    )

    assert answer.status_code == 400 and "great, okay or not_good" in answer.text
    assert hooked.wait_for_deliveries(5)
    assert receiver.requests == []


def _merged_body(receiver) -> dict:
    (request,) = [
        r for r in receiver.requests if r["headers"]["x-helpscout-event"] == "convo.merged"
    ]
    return json.loads(request["body"])


def _merge_two(sandbox) -> tuple[set[int], set[int]]:
    """Merge one conversation into another; (source's thread ids, survivor's thread ids)."""
    source = sandbox.create_conversation(customer_email="s@example.com")["id"]
    survivor = sandbox.create_conversation(customer_email="t@example.com")["id"]
    moved = {t["id"] for t in sandbox.get_conversation(source)["_embedded"]["threads"]}
    own = {t["id"] for t in sandbox.get_conversation(survivor)["_embedded"]["threads"]}
    sandbox.merge_conversations(source, survivor)
    return moved, own


def test_merge_bodies_embed_the_merged_threads_by_default(hooked, receiver):
    moved, own = _merge_two(hooked)
    assert hooked.wait_for_deliveries(5)
    embedded = {t["id"] for t in _merged_body(receiver)["_embedded"]["threads"]}
    assert moved | own <= embedded


def test_merge_bodies_can_leave_out_the_merged_threads(hooked, receiver):
    """As Help Scout's are reported to: the survivor's own threads only, its count whole."""
    hooked.webhook_options(merged_threads=False)
    moved, own = _merge_two(hooked)
    assert hooked.wait_for_deliveries(5)
    body = _merged_body(receiver)
    embedded = {t["id"] for t in body["_embedded"]["threads"]}
    assert own <= embedded
    assert not moved & embedded
    assert body["threads"] > len(
        [t for t in body["_embedded"]["threads"] if t["type"] != "lineitem"]
    )
