"""Merged conversations: Get answers 301 + Location of the survivor for 60 days, then 404.

Help Scout's Get Conversation page documents the 301; its Delete (and update) pages say
writes to a merged id answer 404 and point at Get Conversation for the new location.
"""

from helpscout_integration.sandbox.store import MERGE_REDIRECT_SECONDS

from .conftest import api_client
from .test_conversations import create

DAY = 86400


def merged_pair(sandbox, api):
    mailbox_id = min(sandbox.store.mailboxes)
    source = create(api, mailbox_id, subject="Source")
    survivor = create(api, mailbox_id, subject="Survivor")
    sandbox.merge_conversations(source, survivor)
    return source, survivor


def test_get_of_a_merged_conversation_answers_301_with_the_survivors_location(sandbox, api):
    source, survivor = merged_pair(sandbox, api)

    response = api.get(f"/conversations/{source}", params={"embed": "threads"})

    assert response.status_code == 301
    assert response.headers["Location"] == f"{sandbox.api_base_url}/conversations/{survivor}"
    assert api.get(response.headers["Location"]).json()["id"] == survivor


def test_writes_to_a_merged_conversation_answer_404(sandbox, api):
    source, _survivor = merged_pair(sandbox, api)
    assert (
        api.patch(
            f"/conversations/{source}", json={"op": "replace", "path": "/status", "value": "closed"}
        ).status_code
        == 404
    )
    assert api.delete(f"/conversations/{source}").status_code == 404


def test_the_redirect_lasts_60_days_of_sandbox_time_then_404(sandbox, api):
    source, _survivor = merged_pair(sandbox, api)
    assert MERGE_REDIRECT_SECONDS == 60 * DAY

    sandbox.clock.advance(59 * DAY)  # tokens expire meanwhile: each check gets a new one
    with api_client(sandbox) as later:
        assert later.get(f"/conversations/{source}").status_code == 301
    sandbox.clock.advance(DAY)
    with api_client(sandbox) as after:
        assert after.get(f"/conversations/{source}").status_code == 404


def test_merged_conversations_leave_the_lists(sandbox, api):
    source, survivor = merged_pair(sandbox, api)
    listed = [
        c["id"]
        for c in api.get("/conversations", params={"status": "all"}).json()["_embedded"][
            "conversations"
        ]
    ]
    assert listed == [survivor]
