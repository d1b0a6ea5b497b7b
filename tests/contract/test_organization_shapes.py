"""What the sandbox serves for organizations, their properties, teams, team members and
team assignees has the shape of Help Scout's documented objects, and the payload parsers
read both the same way (so the parsers and the sandbox must agree with Help Scout)."""

import pytest

from helpscout_integration.payloads import (
    parse_conversation,
    parse_organization,
    parse_property_definitions,
    parse_team,
)
from helpscout_integration.sandbox import Sandbox

from .fixtures import directory, organizations
from .shape import differences


@pytest.fixture(scope="module")
def sb():
    with Sandbox(seed="demo", rate_limit_per_minute=None, write_burst=None) as sandbox:
        yield sandbox


def test_organization_with_counts_and_properties(api):
    first = api.get("/organizations").json()["_embedded"]["organizations"][0]
    served = api.get(
        f"/organizations/{first['id']}",
        params={"includeCounts": "true", "includeProperties": "true"},
    ).json()
    assert differences(organizations.ORGANIZATION, served) == []
    assert served["properties"], "the demo's organizations carry property values"
    assert parse_organization(served).fields["customer_count"] == served["customerCount"]


def test_organization_list_items_carry_no_counts_or_properties(api):
    page = api.get("/organizations").json()
    item = page["_embedded"]["organizations"][0]
    assert differences(organizations.ORGANIZATION_LIST_ITEM, item) == []
    assert page["page"]["size"] == 50


def test_property_definitions(api):
    served = api.get("/organizations/properties").json()
    # Whether Help Scout pages this list is not documented: only the items are compared.
    expected = organizations.ORGANIZATION_PROPERTIES["_embedded"]
    assert differences(expected, served["_embedded"]) == []
    assert {d.type for d in parse_property_definitions(served)} >= {"dropdown", "number"}


def test_team_and_members(api):
    team = api.get("/teams").json()["_embedded"]["teams"][0]
    # `initials` is on the SDK's Team object (src/Teams/Team.php), not in its fixture.
    assert differences(organizations.TEAM, {k: v for k, v in team.items() if k != "initials"}) == []
    assert parse_team(team).fields["name"] == team["name"]
    member = api.get(f"/teams/{team['id']}/members").json()["_embedded"]["users"][0]
    assert differences(directory.USER, member) == []


def test_team_assigned_conversation(sb, api):
    team = api.get("/teams").json()["_embedded"]["teams"][0]
    found = api.get("/conversations", params={"assigned_to": team["id"], "status": "all"}).json()
    served = found["_embedded"]["conversations"][0]
    assert differences(organizations.TEAM_ASSIGNEE, served["assignee"]) == []
    assert served["assignee"]["type"] == "team"
    parsed = parse_conversation(served)
    assert parsed.assignee is None and parsed.assignee_team.id == team["id"]


def test_linked_customer_carries_organization_id(api):
    org = api.get("/organizations").json()["_embedded"]["organizations"][0]
    customer = api.get(f"/organizations/{org['id']}/customers").json()
    assert customer["_embedded"]["customers"][0]["organizationId"] == org["id"]
