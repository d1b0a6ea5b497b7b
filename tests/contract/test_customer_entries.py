"""Customer sub-resources as Help Scout serves them: the routes of the official PHP SDK's
src/Customers/Entry/CustomerEntryEndpoint.php (emails, phones, chats, social-profiles,
websites: POST create, PUT/DELETE one; address: POST, PUT, DELETE), the shapes of its
tests/Payloads/CustomerPayloads.php (entries with `_links.self`, `_embedded` left out of
an empty list, the customer's `_links` naming every sub-resource) and the reference,
section 8 (create -> 201 + Resource-ID, update/delete -> 204). All of it answered 404 on
the sandbox before."""

import pytest

from helpscout_integration.payloads import parse_customer
from helpscout_integration.sandbox import Sandbox

from .fixtures import directory
from .shape import differences


@pytest.fixture(scope="module")
def sb():
    with Sandbox(seed="demo", rate_limit_per_minute=None, write_burst=None) as sandbox:
        yield sandbox


@pytest.fixture
def customer(sb):
    return sb.create_customer(None, first_name="Vernon", last_name="Bear")["id"]


ENTRIES = [
    (
        "emails",
        {"value": "vb@acme.example", "type": "work"},
        {"value": "vb@home.example", "type": "home"},
    ),
    (
        "phones",
        {"value": "+1 555 0199", "type": "work"},
        {"value": "+1 555 0100", "type": "mobile"},
    ),
    ("chats", {"value": "vbear", "type": "aim"}, {"value": "vbear2", "type": "skype"}),
    (
        "social-profiles",
        {"value": "https://twitter.com/vbear", "type": "twitter"},
        {"value": "https://linkedin.com/in/vbear", "type": "linkedin"},
    ),
    ("websites", {"value": "https://acme.example"}, {"value": "https://bear.example"}),
]


@pytest.mark.parametrize(("kind", "first", "second"), ENTRIES)
def test_create_update_delete_an_entry(api, customer, kind, first, second):
    empty = api.get(f"/customers/{customer}/{kind}").json()
    assert "_embedded" not in empty and empty["_links"]["self"]["href"].endswith(kind)

    made = api.post(f"/customers/{customer}/{kind}", json=first)
    assert made.status_code == 201 and made.content == b""
    entry_id = int(made.headers["Resource-ID"])
    assert made.headers["Location"].endswith(f"/customers/{customer}/{kind}/{entry_id}")
    listed = api.get(f"/customers/{customer}/{kind}").json()["_embedded"][kind]
    assert [{k: v for k, v in e.items() if k != "_links"} for e in listed] == [
        {"id": entry_id, **first}
    ]
    assert api.get(listed[0]["_links"]["self"]["href"]).json()["value"] == first["value"]

    assert api.put(f"/customers/{customer}/{kind}/{entry_id}", json=second).status_code == 204
    embedded = api.get(f"/customers/{customer}").json()["_embedded"]
    key = kind.replace("-", "_")  # `_embedded` says social_profiles
    assert [e["value"] for e in embedded[key]] == [second["value"]]

    assert api.delete(f"/customers/{customer}/{kind}/{entry_id}").status_code == 204
    assert api.get(f"/customers/{customer}").json()["_embedded"][key] == []
    assert api.delete(f"/customers/{customer}/{kind}/{entry_id}").status_code == 404


def test_address_create_update_delete(api, customer):
    address = {
        "city": "Dallas",
        "lines": ["123 West Main St", "Suite 123"],
        "state": "TX",
        "postalCode": "74206",
        "country": "US",
    }
    made = api.post(f"/customers/{customer}/address", json=address)
    assert made.status_code == 201
    served = api.get(f"/customers/{customer}/address").json()
    assert {k: v for k, v in served.items() if k != "_links"} == address
    assert (
        api.put(f"/customers/{customer}/address", json={**address, "city": "Austin"}).status_code
        == 204
    )
    assert api.get(f"/customers/{customer}").json()["_embedded"]["address"]["city"] == "Austin"
    assert api.delete(f"/customers/{customer}/address").status_code == 204
    assert api.get(f"/customers/{customer}").json()["_embedded"]["address"] == {}


def test_bad_entries_are_refused_and_change_nothing(api, sb, customer):
    taken = sb.store.customers[min(sb.store.customers)].email
    for body in (
        {"value": "not-an-email", "type": "work"},
        {"value": taken, "type": "work"},  # belongs to another customer
        {"value": "x@y.example", "type": "carrier-pigeon"},
        {"type": "work"},
    ):
        refused = api.post(f"/customers/{customer}/emails", json=body)
        assert refused.status_code == 400, body
        assert refused.json()["_embedded"]["errors"]
    assert api.get(f"/customers/{customer}").json()["_embedded"]["emails"] == []
    assert (
        api.post("/customers/999999999/phones", json={"value": "1", "type": "work"}).status_code
        == 404
    )


def test_an_added_email_finds_the_customer_and_a_deleted_one_no_longer(api, sb, customer):
    made = api.post(
        f"/customers/{customer}/emails", json={"value": "find.me@acme.example", "type": "work"}
    )
    assert sb.store.customer_by_email("find.me@acme.example").id == customer
    api.delete(f"/customers/{customer}/emails/{made.headers['Resource-ID']}")
    assert sb.store.customer_by_email("find.me@acme.example") is None


def test_every_customer_link_resolves_and_the_shape_holds(api, customer):
    api.post(f"/customers/{customer}/address", json={"city": "Chicago", "lines": ["1 Main St"]})
    served = api.get(f"/customers/{customer}").json()
    assert set(served["_links"]) == set(directory.CUSTOMER["_links"])
    for name, link in served["_links"].items():
        assert api.get(link["href"]).status_code == 200, name
    parsed = parse_customer(served)  # our parser reads what the sandbox serves
    assert parsed.id == customer


def test_the_customer_shape_with_every_entry(api, customer):
    for kind, first, _second in ENTRIES:
        api.post(f"/customers/{customer}/{kind}", json=first)
    api.post(
        f"/customers/{customer}/address",
        json={
            "city": "Chicago",
            "state": "IL",
            "postalCode": "60614",
            "country": "US",
            "lines": ["1 Main St"],
        },
    )
    served = api.get(f"/customers/{customer}").json()
    expected_embedded = {
        k: v for k, v in directory.CUSTOMER["_embedded"].items() if k != "properties"
    }
    served_embedded = {k: v for k, v in served["_embedded"].items() if k != "properties"}
    assert differences(expected_embedded, served_embedded) == []
