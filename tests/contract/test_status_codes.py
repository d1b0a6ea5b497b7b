"""(c) What the sandbox answers for a merged conversation is what Help Scout documents:
Get Conversation 301 with the survivor's `Location`, every other request on the old id
404 (fixtures/wire.py names the pages). The app's merge handling (follow the 301, mark
the row merged) is only tested for real if the sandbox answers these codes."""

import httpx
import pytest

from helpscout_integration.sandbox import Sandbox

from .fixtures import wire
from .sandbox_api import api_client


@pytest.fixture(scope="module")
def merged():
    """(sandbox, api client, merged id, survivor id)."""
    with Sandbox(rate_limit_per_minute=None, write_burst=None) as sb:
        mailbox = sb.create_mailbox("Support")
        source = sb.create_conversation(mailbox_id=mailbox["id"], customer_email="a@b.example")
        survivor = sb.create_conversation(mailbox_id=mailbox["id"], customer_email="a@b.example")
        sb.merge_conversations(source["id"], survivor["id"])
        with api_client(sb) as api:
            yield sb, api, source["id"], survivor["id"]


def test_get_of_a_merged_conversation_is_301_to_the_survivor(merged):
    sb, api, source, survivor = merged
    for params in ({}, {"embed": "threads"}):
        response = api.get(f"/conversations/{source}", params=params)
        assert response.status_code == wire.MERGED_GET_STATUS
        assert response.headers["Location"] == f"{sb.api_base_url}/conversations/{survivor}"


@pytest.mark.parametrize(
    ("method", "suffix", "body"),
    [
        ("GET", "/threads", None),
        ("PATCH", "", {"op": "replace", "path": "/status", "value": "closed"}),
        ("PUT", "/tags", {"tags": ["vip"]}),
        ("PUT", "/fields", {"fields": []}),
        ("POST", "/notes", {"text": "hello"}),
        ("POST", "/reply", {"text": "hello", "customer": {"email": "a@b.example"}}),
        ("DELETE", "", None),
    ],
)
def test_every_other_request_on_a_merged_conversation_is_404(merged, method, suffix, body):
    _sb, api, source, _survivor = merged
    response = api.request(method, f"/conversations/{source}{suffix}", json=body)
    assert response.status_code == wire.MERGED_OTHER_STATUS, response.text


def test_the_redirect_lasts_sixty_days_then_get_is_404_too():
    day = 86400
    with Sandbox(manual_clock=True, rate_limit_per_minute=None, write_burst=None) as sb:
        mailbox = sb.create_mailbox("Support")
        source = sb.create_conversation(mailbox_id=mailbox["id"], customer_email="a@b.example")
        survivor = sb.create_conversation(mailbox_id=mailbox["id"], customer_email="a@b.example")
        sb.merge_conversations(source["id"], survivor["id"])

        def get_source():  # a fresh token each time: one lasts two days
            token = httpx.post(
                sb.token_url,
                data={"grant_type": "client_credentials", "client_id": "a", "client_secret": "s"},
            ).json()["access_token"]
            return httpx.get(
                f"{sb.api_base_url}/conversations/{source['id']}",
                headers={"Authorization": f"Bearer {token}"},
            ).status_code

        sb.clock.advance((wire.MERGED_REDIRECT_DAYS - 1) * day)
        assert get_source() == wire.MERGED_GET_STATUS
        sb.clock.advance(day)
        assert get_source() == 404
