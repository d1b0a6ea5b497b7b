"""The end user's own files: listed on their threads and downloaded through the product,
streamed from Help Scout's /file endpoint (the admin's path); never another's, never a
note's, never a file Help Scout's scan flagged."""

import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse

from helpscout_integration.sandbox.attachment_files import MALICIOUS, book_for
from helpscout_integration.sync.upsert import upsert_conversations

DETAIL = "helpscout:my-conversation-detail"
FILE = "helpscout:my-conversation-attachment"


@pytest.fixture
def files(helpscout_sandbox):
    """Ada's conversation: her thread has a screenshot and a flagged file; a note has one."""
    sb = helpscout_sandbox
    user = sb.create_user("Ann", "Agent")
    made = sb.create_conversation(
        customer_email="ada@example.com",
        threads=[{"type": "customer", "text": "see screenshot"}],
    )
    cid = made["id"]
    customer_thread = made["_embedded"]["threads"][0]["id"]
    note = sb.add_thread(cid, type="note", text="internal", user_id=user["id"])
    book = book_for(sb.store)
    items = {
        "shot": book.add(cid, customer_thread, "shot.png", "image/png", b"\x89PNG fake"),
        "bad": book.add(cid, customer_thread, "x.exe", "application/x-msdownload", b"MZ",
                        state=MALICIOUS),
        "note": book.add(cid, note["id"], "internal.pdf", "application/pdf", b"%PDF secret"),
    }  # fmt: skip
    upsert_conversations([sb.get_conversation(cid)])
    return cid, items


@pytest.mark.django_db
def test_the_owner_sees_and_downloads_their_file(files, make_user, api_as, helpscout_sandbox):
    cid, items = files
    ada = api_as(make_user("ada"))
    threads = ada.get(reverse(DETAIL, args=[cid])).data["threads"]
    shown = [a for t in threads for a in t["attachments"]]
    by_name = {a["filename"]: a for a in shown}
    assert set(by_name) == {"shot.png", "x.exe"}  # the note's file is not theirs to see
    assert by_name["x.exe"]["url"] is None and by_name["x.exe"]["state"] == "malicious"
    url = by_name["shot.png"]["url"]
    assert url == reverse(FILE, args=[cid, items["shot"].id])

    response = ada.get(url)
    assert response.status_code == 200 and isinstance(response, StreamingHttpResponse)
    assert b"".join(response.streaming_content) == b"\x89PNG fake"
    assert response["Content-Disposition"] == 'attachment; filename="shot.png"'
    paths = [p for _m, p, _s in helpscout_sandbox.request_log]
    assert f"/v2/conversations/{cid}/attachments/{items['shot'].id}/file" in paths


@pytest.mark.django_db
def test_no_one_else_no_note_file_and_no_flagged_file(files, make_user, api_as):
    cid, items = files
    ada = api_as(make_user("ada"))
    bob = api_as(make_user("bob"))
    assert bob.get(reverse(FILE, args=[cid, items["shot"].id])).status_code == 404
    assert ada.get(reverse(FILE, args=[cid, items["note"].id])).status_code == 404
    assert ada.get(reverse(FILE, args=[cid, items["bad"].id])).status_code == 404
