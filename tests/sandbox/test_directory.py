"""Mailboxes (folders, custom fields), users, tags and the webhooks resource."""

import pytest


def test_mailboxes_folders_and_fields(demo, demo_api):
    mailboxes = demo_api.get("/mailboxes").json()["_embedded"]["mailboxes"]
    assert [m["name"] for m in mailboxes] == ["Support", "Billing", "Sales"]
    first = mailboxes[0]
    assert set(first) >= {"id", "name", "slug", "email", "createdAt", "updatedAt"}
    assert demo_api.get(f"/mailboxes/{first['id']}").json() == first
    folders = demo_api.get(f"/mailboxes/{first['id']}/folders").json()["_embedded"]["folders"]
    closed = next(f for f in folders if f["type"] == "closed")
    in_mailbox = [c for c in demo.store.conversations.values() if c.mailbox_id == first["id"]]
    assert closed["totalCount"] == sum(1 for c in in_mailbox if c.status == "closed")
    fields = demo_api.get(f"/mailboxes/{first['id']}/fields").json()["_embedded"]["fields"]
    assert {f["name"] for f in fields} == {"Order number", "Plan"}
    assert demo_api.get("/mailboxes/1").status_code == 404


def test_users_and_me(demo_api):
    users = demo_api.get("/users").json()["_embedded"]["users"]
    assert len(users) == 5
    assert set(users[0]) >= {"id", "firstName", "lastName", "email", "role", "timezone", "type"}
    assert demo_api.get("/users/me").json()["role"] == "owner"
    assert demo_api.get(f"/users/{users[1]['id']}").json()["email"] == users[1]["email"]


def test_tags_count_their_conversations(demo, demo_api):
    tags = demo_api.get("/tags").json()["_embedded"]["tags"]
    assert len(tags) >= 10
    vip = next(t for t in tags if t["name"] == "vip")
    expected = sum(1 for c in demo.store.conversations.values() if vip["id"] in c.tag_ids)
    assert vip["ticketCount"] == expected > 0
    assert demo_api.get(f"/tags/{vip['id']}").json()["ticketCount"] == expected


WEBHOOK = {"url": "https://example.com/hook", "events": ["convo.created"], "secret": "s3cret"}


def test_webhooks_resource_create_list_update_delete(api):
    response = api.post("/webhooks", json=WEBHOOK)
    assert response.status_code == 201 and response.content == b""
    webhook_id = int(response.headers["Resource-ID"])
    listed = api.get("/webhooks").json()["_embedded"]["webhooks"]
    assert [w["id"] for w in listed] == [webhook_id]
    assert listed[0]["payloadVersion"] == "V2" and "secret" not in listed[0]
    update = api.put(f"/webhooks/{webhook_id}", json={**WEBHOOK, "events": ["convo.deleted"]})
    assert update.status_code == 204
    assert api.get(f"/webhooks/{webhook_id}").json()["events"] == ["convo.deleted"]
    assert api.delete(f"/webhooks/{webhook_id}").status_code == 204
    assert "_embedded" not in api.get("/webhooks").json()  # empty: no `_embedded` at all


@pytest.mark.parametrize(
    ("change", "path"),
    [
        ({"secret": "x" * 41}, "secret"),
        ({"secret": ""}, "secret"),
        ({"url": "ftp://example.com"}, "url"),
        ({"events": []}, "events"),
        ({"events": ["convo.exploded"]}, "events"),
        ({"payloadVersion": "V1"}, "payloadVersion"),
    ],
)
def test_webhook_validation(api, change, path):
    response = api.post("/webhooks", json={**WEBHOOK, **change})
    assert response.status_code == 400
    errors = response.json()["_embedded"]["errors"]
    assert [e["path"] for e in errors] == [path]
    assert "x" * 41 not in response.text  # a rejected secret is never echoed


def test_unknown_paths_and_methods(api):
    assert api.get("/nothing-here").status_code == 404
    assert api.delete("/mailboxes").status_code == 405
