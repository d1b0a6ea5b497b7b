"""Customers: create, search by email, replace, patch, and typed customer properties."""

import pytest


def test_create_find_and_get_a_customer(api):
    response = api.post(
        "/customers",
        json={
            "firstName": "Vernon",
            "lastName": "Bear",
            "emails": [{"type": "work", "value": "vb@example.com"}],
        },
    )
    assert response.status_code == 201 and response.content == b""
    customer_id = int(response.headers["Resource-ID"])
    assert response.headers["Location"].endswith(f"/v2/customers/{customer_id}")
    found = api.get("/customers", params={"query": '(email:"vb@example.com")'}).json()
    assert [c["id"] for c in found["_embedded"]["customers"]] == [customer_id]
    body = api.get(f"/customers/{customer_id}").json()
    assert (body["firstName"], body["lastName"]) == ("Vernon", "Bear")
    assert body["_embedded"]["emails"][0]["value"] == "vb@example.com"
    nobody = api.get("/customers", params={"query": '(email:"x@y.z")'}).json()
    assert "_embedded" not in nobody and nobody["page"]["totalElements"] == 0


def test_customer_validation(api, sandbox):
    sandbox.create_customer("taken@example.com", "Taken")
    response = api.post(
        "/customers", json={"emails": [{"value": "not-an-email"}, {"value": "taken@example.com"}]}
    )
    assert response.status_code == 400
    paths = [e["path"] for e in response.json()["_embedded"]["errors"]]
    assert paths == ["emails[0].value", "emails[1].value", "firstName"]


def test_put_replaces_fields_and_patch_changes_one(api, sandbox):
    customer_id = sandbox.create_customer("p@example.com", "Pat", "Old", job_title="CEO")["id"]
    assert api.put(f"/customers/{customer_id}", json={"firstName": "Patricia"}).status_code == 204
    body = api.get(f"/customers/{customer_id}").json()
    assert (body["firstName"], body["lastName"], body["jobTitle"]) == ("Patricia", "", "")
    assert body["_embedded"]["emails"][0]["value"] == "p@example.com"  # not touched by PUT
    patch = api.patch(
        f"/customers/{customer_id}", json=[{"op": "replace", "path": "/lastName", "value": "Jones"}]
    )
    assert patch.status_code == 204
    assert api.get(f"/customers/{customer_id}").json()["lastName"] == "Jones"
    assert api.put(f"/customers/{customer_id}", json={"lastName": "x"}).status_code == 400
    assert api.put("/customers/1", json={"firstName": "x"}).status_code == 404


def test_property_definitions_list(demo_api):
    body = demo_api.get("/customer-properties").json()
    definitions = {d["slug"]: d for d in body["_embedded"]["customer-properties"]}
    assert definitions["plan"]["type"] == "dropdown"
    assert [o["label"] for o in definitions["plan"]["options"]] == ["Free", "Basic", "Pro"]
    assert {d["type"] for d in definitions.values()} == {
        "text",
        "number",
        "date",
        "url",
        "dropdown",
    }


@pytest.fixture
def with_properties(sandbox):
    sandbox.store.add_property_definition("plan", "Plan", "dropdown", ["Free", "Pro"])
    sandbox.store.add_property_definition("seats", "Seats", "number")
    sandbox.store.add_property_definition("since", "Since", "date")
    sandbox.store.add_property_definition("site", "Site", "url")
    sandbox.store.add_property_definition("notes", "Notes", "text")
    return sandbox.create_customer("props@example.com", "Props")["id"]


def test_patch_properties_sets_and_removes_typed_values(api, sandbox, with_properties):
    pro = next(
        i for i, label in sandbox.store.property_definitions["plan"].options if label == "Pro"
    )
    operations = [
        {"op": "replace", "path": "/plan", "value": str(pro)},
        {"op": "replace", "path": "/seats", "value": "12"},
        {"op": "replace", "path": "/since", "value": "2024-03-01"},
        {"op": "replace", "path": "/site", "value": "https://example.com"},
        {"op": "replace", "path": "/notes", "value": "VIP"},
    ]
    response = api.patch(f"/customers/{with_properties}/properties", json=operations)
    assert response.status_code == 204
    properties = {
        p["slug"]: p
        for p in api.get(f"/customers/{with_properties}").json()["_embedded"]["properties"]
    }
    assert properties["plan"]["text"] == "Pro"
    assert properties["seats"]["value"] == 12
    assert properties["site"]["value"] == "https://example.com"
    api.patch(f"/customers/{with_properties}/properties", json=[{"op": "remove", "path": "/notes"}])
    slugs = {
        p["slug"]
        for p in api.get(f"/customers/{with_properties}").json()["_embedded"]["properties"]
    }
    assert "notes" not in slugs and "plan" in slugs


@pytest.mark.parametrize(
    ("slug", "value"),
    [
        ("seats", "many"),
        ("since", "last tuesday"),
        ("site", "example.com"),
        ("plan", "Gold"),
        ("unknown", "x"),
    ],
)
def test_patch_properties_rejects_wrong_types(api, with_properties, slug, value):
    response = api.patch(
        f"/customers/{with_properties}/properties",
        json=[{"op": "replace", "path": f"/{slug}", "value": value}],
    )
    assert response.status_code == 400
    error = response.json()["_embedded"]["errors"][0]
    assert error["rejectedValue"] in (value, f"/{slug}")


def test_delete_customer_removes_their_conversations(api, sandbox, receiver):
    sandbox.register_webhook(receiver.url, "secret", events=["customer.deleted", "convo.deleted"])
    lonely = sandbox.create_customer("lonely@example.com", "Lonely")["id"]
    conversation = sandbox.create_conversation(customer_email="busy@example.com")
    busy = conversation["primaryCustomer"]["id"]
    assert api.delete(f"/customers/{lonely}").status_code == 204
    assert api.get(f"/customers/{lonely}").status_code == 404
    assert api.delete(f"/customers/{busy}").status_code == 204
    assert api.get(f"/conversations/{conversation['id']}").status_code == 404
    assert sandbox.wait_for_deliveries(5)
    assert receiver.events() == ["customer.deleted", "convo.deleted", "customer.deleted"]
    assert receiver.payloads() == [{"id": lonely}, {"id": conversation["id"]}, {"id": busy}]


def test_customers_with_over_100_conversations_cannot_be_deleted(api, sandbox):
    for _ in range(101):
        sandbox.create_conversation(customer_email="loyal@example.com")
    loyal = sandbox.store.customer_by_email("loyal@example.com").id
    assert api.delete(f"/customers/{loyal}").status_code == 403  # Help Scout: 403, not 400
    assert api.get(f"/customers/{loyal}").status_code == 200
