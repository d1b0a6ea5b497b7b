"""The toolkit's objects: what the sandbox serves has Help Scout's documented shape, and
the client and parsers read Help Scout's own fixtures (sources named in fixtures/toolkit)."""

from __future__ import annotations

import datetime as dt

import httpx
import pytest

from helpscout_integration.client import HelpScoutClient
from helpscout_integration.payloads.attachment import parse_attachment
from helpscout_integration.payloads.scheduling import scheduled_of
from helpscout_integration.sandbox import Sandbox
from helpscout_integration.sandbox.attachment_files import book_for

from .fixtures import toolkit
from .shape import differences


@pytest.fixture(scope="module")
def sb():
    with Sandbox(seed="demo", rate_limit_per_minute=None, write_burst=None) as sandbox:
        yield sandbox


def test_workflow_list_item_matches_the_sdk_fixture(api):
    served = api.get("/workflows").json()["_embedded"]["workflows"][0]
    assert differences(toolkit.WORKFLOW, served) == []


def test_thread_attachment_matches_list_threads(sb, api):
    item = next(iter(book_for(sb.store).files.values()))
    conversation = api.get(
        f"/conversations/{item.conversation_id}", params={"embed": "threads"}
    ).json()
    shown = [a for t in conversation["_embedded"]["threads"] for a in t["_embedded"]["attachments"]]
    assert shown and differences(toolkit.THREAD_ATTACHMENT, shown[0]) == []


def test_attachment_data_matches_the_sdk_fixture(sb, api):
    item = next(f for f in book_for(sb.store).files.values() if f.state == "valid")
    served = api.get(f"/conversations/{item.conversation_id}/attachments/{item.id}/data").json()
    assert differences(toolkit.ATTACHMENT_DATA, served) == []


def test_the_client_decodes_the_sdk_attachment_data():
    def handler(request):
        if request.url.path.endswith("/oauth2/token"):
            return httpx.Response(200, json={"access_token": "t", "expires_in": 60})
        return httpx.Response(200, json=toolkit.ATTACHMENT_DATA)

    with HelpScoutClient(app_id="a", app_secret="s", transport=httpx.MockTransport(handler)) as c:
        assert c.attachments.data(1, 2) == b"file"


def test_the_parser_reads_help_scouts_attachment_and_schedule():
    info = parse_attachment(toolkit.THREAD_ATTACHMENT)
    assert (info.id, info.filename, info.mime_type, info.size, info.state) == (
        12391, "file.txt", "text/plain", 22, "valid",
    )  # fmt: skip
    before = dt.datetime(2024, 6, 13, 12, tzinfo=dt.UTC)
    scheduled = scheduled_of({"scheduled": toolkit.THREAD_SCHEDULED}, before)
    assert scheduled.scheduled_for == dt.datetime(2024, 6, 14, 9, tzinfo=dt.UTC)
    assert scheduled.unschedule_on_customer_reply is True


def test_saved_replies_are_a_bare_array_and_one_has_text_and_chat_text(sb, api):
    mailbox = min(sb.store.mailboxes)
    listed = api.get(f"/mailboxes/{mailbox}/saved-replies").json()
    assert isinstance(listed, list) and listed
    assert differences(toolkit.SAVED_REPLY_LIST_ITEM, listed[0]) == []
    one = api.get(f"/mailboxes/{mailbox}/saved-replies/{listed[0]['id']}").json()
    assert differences(toolkit.SAVED_REPLY, one) == []


def test_user_status_matches_get_user_status(sb, api):
    user = min(sb.store.users)
    assert differences(toolkit.USER_STATUS, api.get(f"/users/{user}/status").json()) == []
    listed = api.get("/users/status").json()
    assert differences(toolkit.USER_STATUS, listed["_embedded"]["userStatuses"][0]) == []
    assert listed["page"]["size"] == 50
