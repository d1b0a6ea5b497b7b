"""The organizations and teams resource groups speak Help Scout's endpoints as documented."""

from __future__ import annotations

import json

from .conftest import API, hal


def test_organization_list_get_create_update_delete(client, api):
    listing = api.get(f"{API}/organizations").respond(
        200, json=hal("organizations", [{"id": 15, "name": "Acme"}])
    )
    one = api.get(f"{API}/organizations/15").respond(200, json={"id": 15, "name": "Acme"})
    api.post(f"{API}/organizations").respond(
        201, headers={"Resource-ID": "16", "Location": f"{API}/organizations/16"}
    )
    update = api.put(f"{API}/organizations/15").respond(204)
    delete = api.delete(f"{API}/organizations/15").respond(204)

    assert list(client.organizations.list(sort="lastInteractionAt,desc")) == [
        {"id": 15, "name": "Acme"}
    ]
    assert listing.calls[0].request.url.params["sort"] == "lastInteractionAt,desc"
    client.organizations.get(15, counts=True, properties=True)
    params = one.calls[0].request.url.params
    assert (params["includeCounts"], params["includeProperties"]) == ("true", "true")
    assert client.organizations.create({"name": "Globex"}) == 16
    client.organizations.update(15, {"name": "Acme", "domains": ["acme.example"]})
    assert json.loads(update.calls[0].request.content)["domains"] == ["acme.example"]
    client.organizations.delete(15)
    assert delete.call_count == 1


def test_organization_customers_and_conversations(client, api):
    api.get(f"{API}/organizations/15/customers").respond(200, json=hal("customers", [{"id": 1}]))
    api.get(f"{API}/organizations/15/conversations").respond(
        200, json=hal("conversations", [{"id": 2}])
    )
    assert list(client.organizations.customers(15)) == [{"id": 1}]
    assert list(client.organizations.conversations(15)) == [{"id": 2}]


def test_organization_properties_definitions_and_string_values(client, api):
    api.get(f"{API}/organizations/properties").respond(
        200, json=hal("organization-properties", [{"slug": "plan", "type": "text"}])
    )
    define = api.post(f"{API}/organizations/properties").respond(201)
    value = api.put(f"{API}/organizations/15/properties/plan").respond(204)
    remove = api.delete(f"{API}/organizations/15/properties/plan").respond(204)

    assert client.organizations.property_definitions() == [{"slug": "plan", "type": "text"}]
    client.organizations.create_property_definition(
        {"type": "text", "slug": "plan", "name": "Plan"}
    )
    client.organizations.set_property(15, "plan", "Pro")
    client.organizations.remove_property(15, "plan")
    assert json.loads(define.calls[0].request.content)["slug"] == "plan"
    assert json.loads(value.calls[0].request.content) == {"value": "Pro"}
    assert remove.call_count == 1


def test_teams_and_members(client, api):
    api.get(f"{API}/teams").respond(200, json=hal("teams", [{"id": 1, "name": "Engineers"}]))
    api.get(f"{API}/teams/1/members").respond(200, json=hal("users", [{"id": 9}]))
    assert list(client.teams.list()) == [{"id": 1, "name": "Engineers"}]
    assert list(client.teams.members(1)) == [{"id": 9}]
