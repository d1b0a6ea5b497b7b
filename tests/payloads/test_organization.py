"""parse_organization / parse_team / team-typed assignees: Help Scout's shapes become fields."""

from datetime import UTC, datetime

import pytest

from helpscout_integration.exceptions import PayloadError
from helpscout_integration.payloads import (
    parse_conversation,
    parse_customer,
    parse_organization,
    parse_property_definitions,
    parse_team,
)
from tests.contract.fixtures.organizations import (
    ORGANIZATION,
    ORGANIZATION_LIST_ITEM,
    ORGANIZATION_PROPERTIES,
    TEAM,
    TEAM_ASSIGNEE,
)


def test_organization_with_counts_and_properties():
    parsed = parse_organization(ORGANIZATION)
    f = parsed.fields
    assert parsed.id == 15
    assert f["name"] == "Acme Corporation"
    assert f["domains"] == ["acme.example", "acme-corp.example"]
    assert (f["website"], f["location"], f["brand_color"]) == (
        "https://acme.example",
        "US",
        "#ff6600",
    )
    assert f["logo_url"] == "https://logos.example/acme.png"
    assert f["phones"] == ["+1 555 0100"]
    assert (f["customer_count"], f["conversation_count"]) == (12, 40)
    assert f["properties"] == {"plan": "Enterprise", "seats": "100"}
    assert f["data"] is ORGANIZATION


def test_a_list_item_without_counts_or_properties_leaves_them_out():
    # Absent means "not asked for": a writer must keep what the row already holds.
    f = parse_organization(ORGANIZATION_LIST_ITEM).fields
    assert "customer_count" not in f and "conversation_count" not in f
    assert "properties" not in f


def test_null_strings_and_arrays_as_a_full_replace_leaves_them():
    f = parse_organization(
        {"id": 2, "name": "Bare", "website": None, "domains": [], "phones": None}
    ).fields
    assert (f["website"], f["domains"], f["phones"]) == ("", [], [])


def test_domains_are_compared_lower_case_and_deduplicated():
    f = parse_organization({"id": 2, "name": "x", "domains": ["Acme.Example", "acme.example"]})
    assert f.fields["domains"] == ["acme.example"]


@pytest.mark.parametrize(
    "bad", [{"name": "no id"}, {"id": 3}, [], {"id": 3, "name": "x", "customerCount": -1}]
)
def test_what_is_not_an_organization_is_refused(bad):
    with pytest.raises(PayloadError):
        parse_organization(bad)


def test_property_definitions_and_an_empty_page():
    found = parse_property_definitions(ORGANIZATION_PROPERTIES)
    assert [(d.slug, d.type, d.options) for d in found] == [
        ("plan", "dropdown", ["Free", "Enterprise"]),
        ("seats", "number", []),
    ]
    assert parse_property_definitions({"_links": {}}) == []  # `_embedded` left out when empty


def test_team():
    parsed = parse_team(TEAM)
    assert parsed.id == 1
    assert parsed.fields["name"] == "Engineers"
    assert parsed.fields["mention"] == "engs"
    assert parsed.hs_updated_at == datetime(2019, 8, 23, 14, 43, 24, tzinfo=UTC)


def test_a_team_assignee_is_a_team_not_an_agent():
    parsed = parse_conversation(
        {"id": 5, "number": 1, "status": "active", "assignee": dict(TEAM_ASSIGNEE)}
    )
    assert parsed.assignee is None and parsed.fields["assignee_id"] is None
    assert parsed.assignee_team is not None and parsed.assignee_team.id == 1
    assert parsed.fields["assignee_team_id"] == 1


def test_a_user_assignee_leaves_the_team_empty():
    parsed = parse_conversation(
        {"id": 5, "number": 1, "status": "active", "assignee": {"id": 9, "type": "user"}}
    )
    assert parsed.fields["assignee_id"] == 9 and parsed.fields["assignee_team_id"] is None


def test_customer_organization_id_and_legacy_text():
    f = parse_customer({"id": 1, "organizationId": 15, "organization": "Acme"}).fields
    assert (f["organization_id"], f["organization_name"]) == (15, "Acme")
    f = parse_customer({"id": 1, "organization": "Acme"}).fields
    assert (f["organization_id"], f["organization_name"]) == (None, "Acme")
