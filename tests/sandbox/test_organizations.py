"""The sandbox's organizations behave as Help Scout documents: full-replace PUT, string
property values checked against their type, the 50-definition limit, delete unlinks
customers, sorting, and customers linked by organizationId."""

from __future__ import annotations

import pytest

from helpscout_integration.sandbox import Sandbox

from .conftest import api_client


@pytest.fixture
def api():
    with Sandbox(rate_limit_per_minute=None, write_burst=None) as sb, api_client(sb) as client:
        yield client


def _create(api, **body) -> int:
    response = api.post("/organizations", json={"name": "Acme", **body})
    assert response.status_code == 201, response.text
    assert response.headers["Location"].endswith(
        f"/organizations/{response.headers['Resource-ID']}?includeCounts=false&includeProperties=false"
    )
    return int(response.headers["Resource-ID"])


def test_put_replaces_the_whole_record_but_keeps_the_logo(api):
    org = _create(
        api,
        website="https://acme.test",
        domains=["Acme.test"],
        phones=["1"],
        logoUrl="https://l/x.png",
    )
    assert api.get(f"/organizations/{org}").json()["domains"] == ["acme.test"]
    assert api.put(f"/organizations/{org}", json={"name": "Acme Inc"}).status_code == 204
    served = api.get(f"/organizations/{org}").json()
    assert served["name"] == "Acme Inc"
    assert (served["website"], served["domains"], served["phones"]) == (None, [], [])
    assert served["logoUrl"] == "https://l/x.png"


def test_bad_bodies_are_refused_with_the_field_named(api):
    response = api.post("/organizations", json={"name": "", "location": "France"})
    assert response.status_code == 400
    paths = {e["path"] for e in response.json()["_embedded"]["errors"]}
    assert paths == {"name", "location"}


def test_property_values_are_strings_checked_against_their_type(api):
    org = _create(api)
    for body in (
        {"type": "number", "slug": "seats", "name": "Seats"},
        {"type": "dropdown", "slug": "plan", "name": "Plan", "options": [{"label": "Pro"}]},
        {"type": "date", "slug": "renewal", "name": "Renewal"},
    ):
        assert api.post("/organizations/properties", json=body).status_code == 201
    ok = {"seats": "100", "plan": "Pro", "renewal": "2024-01-15"}
    for slug, value in ok.items():
        response = api.put(f"/organizations/{org}/properties/{slug}", json={"value": value})
        assert response.status_code == 204, response.text
    for slug, value in {"seats": 100, "plan": "pro", "renewal": "15/01/2024"}.items():
        response = api.put(f"/organizations/{org}/properties/{slug}", json={"value": value})
        assert response.status_code == 400, (slug, value)
    served = api.get(f"/organizations/{org}", params={"includeProperties": "true"}).json()
    assert {p["slug"]: p["value"] for p in served["properties"]} == ok
    assert api.put(f"/organizations/{org}/properties/nope", json={"value": "x"}).status_code == 404
    assert api.delete(f"/organizations/{org}/properties/seats").status_code == 204
    served = api.get(f"/organizations/{org}", params={"includeProperties": "true"}).json()
    assert "seats" not in {p["slug"] for p in served["properties"]}


def test_at_most_fifty_property_definitions(api):
    for n in range(50):
        body = {"type": "text", "slug": f"p{n}", "name": f"P{n}"}
        assert api.post("/organizations/properties", json=body).status_code == 201
    response = api.post(
        "/organizations/properties", json={"type": "text", "slug": "x", "name": "X"}
    )
    assert response.status_code == 400
    assert "at most 50" in response.text


def test_customers_link_by_organization_id_and_delete_unlinks_them(api):
    org = _create(api)
    made = api.post(
        "/customers",
        json={"firstName": "Ada", "emails": [{"value": "ada@acme.test"}], "organizationId": org},
    )
    customer = int(made.headers["Resource-ID"])
    assert api.get(f"/customers/{customer}").json()["organizationId"] == org
    counts = api.get(f"/organizations/{org}", params={"includeCounts": "true"}).json()
    assert counts["customerCount"] == 1
    assert api.get(f"/organizations/{org}/customers").json()["page"]["totalElements"] == 1
    assert api.delete(f"/organizations/{org}").status_code == 204
    assert api.get(f"/customers/{customer}").json()["organizationId"] is None
    patch = [{"op": "replace", "path": "/organizationId", "value": 999}]
    assert api.patch(f"/customers/{customer}", json=patch).status_code == 400


def test_list_sorts_by_last_interaction_newest_first_by_default(api):
    older, newer = _create(api, name="Older"), _create(api, name="Newer")
    ids = [o["id"] for o in api.get("/organizations").json()["_embedded"]["organizations"]]
    assert ids == [newer, older]
    by_name = api.get("/organizations", params={"sort": "name,asc"}).json()
    assert [o["name"] for o in by_name["_embedded"]["organizations"]] == ["Newer", "Older"]
    assert api.get("/organizations", params={"sort": "bogus"}).status_code == 400


def test_a_conversation_can_be_assigned_to_a_team():
    with Sandbox(seed="demo", rate_limit_per_minute=None) as sb, api_client(sb) as client:
        team = client.get("/teams").json()["_embedded"]["teams"][0]
        conversation = client.get("/conversations").json()["_embedded"]["conversations"][0]
        patch = {"op": "replace", "path": "/assignTo", "value": team["id"]}
        assert client.patch(f"/conversations/{conversation['id']}", json=patch).status_code == 204
        served = client.get(f"/conversations/{conversation['id']}").json()
        assert served["assignee"] == {
            "id": team["id"],
            "type": "team",
            "first": team["name"],
            "last": "",
            "email": "",
        }
