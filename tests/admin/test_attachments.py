"""Attachments on the conversation page, downloaded through the product from the sandbox."""

from __future__ import annotations

import pytest
from django.contrib.admin.models import LogEntry
from django.http import StreamingHttpResponse
from django.test import Client
from django.urls import reverse

from helpscout_integration.admin.operations import refresh_conversation
from helpscout_integration.client import HelpScoutClient
from helpscout_integration.sandbox.attachment_files import MALICIOUS, book_for
from helpscout_integration.sandbox.toolkit_seed import png

pytestmark = pytest.mark.django_db

SHOT = png(40, 30, (10, 200, 10))


@pytest.fixture
def hs(helpscout_sandbox):
    """A conversation whose customer thread carries a screenshot, a log and a flagged file."""
    sb = helpscout_sandbox
    conversation = sb.create_conversation(
        customer_email="cleo@example.com",
        subject="Broken page",
        threads=[{"type": "customer", "text": "I attached a screenshot of what I see."}],
    )
    cid = conversation["id"]
    thread_id = conversation["_embedded"]["threads"][0]["id"]
    book = book_for(sb.store)
    sb.files = {
        "shot": book.add(cid, thread_id, "screen shot.png", "image/png", SHOT),
        "log": book.add(cid, thread_id, "console.log", "text/plain", b"TypeError: x\n" * 1000),
        "bad": book.add(cid, thread_id, "invoice.exe", "application/x-msdownload", b"MZ",
                        state=MALICIOUS),
    }  # fmt: skip
    with HelpScoutClient.from_settings() as client:
        refresh_conversation(client, cid)
    sb.cid = cid
    return sb


def change_url(cid):
    return reverse("admin:helpscout_integration_conversation_change", args=[cid])


def file_url(cid, attachment_id):
    return reverse("admin:helpscout_integration_conversation_attachment", args=[cid, attachment_id])


@pytest.fixture
def downloader(staff_user):
    client = Client()
    client.force_login(staff_user("view_conversation", "download_attachment"))
    return client


def test_the_timeline_lists_each_attachment_with_type_size_and_state(hs, downloader):
    page = downloader.get(change_url(hs.cid)).content.decode()
    start = page.index('class="hs-timeline"')
    timeline = page[start : page.index("</ol>", start)]
    shot, log, bad = hs.files["shot"], hs.files["log"], hs.files["bad"]
    for item in (shot, log, bad):
        assert item.filename in timeline
        assert f'href="{file_url(hs.cid, item.id)}"' in timeline
    assert "image/png" in timeline and "text/plain" in timeline and "12.7\xa0KB" in timeline
    assert "flagged by Help Scout’s scan (malicious)" in timeline
    # A thumbnail for the valid image only, served through the product.
    assert f'<img src="{file_url(hs.cid, shot.id)}?inline=1"' in timeline
    assert timeline.count("<img ") == 1
    assert "secure.helpscout.net" not in timeline  # never Help Scout's web file URL


def test_download_streams_the_bytes_from_the_file_endpoint(hs, downloader):
    log = hs.files["log"]
    response = downloader.get(file_url(hs.cid, log.id))
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    assert b"".join(response.streaming_content) == log.content
    assert response["Content-Disposition"] == 'attachment; filename="console.log"'
    assert response["X-Content-Type-Options"] == "nosniff"
    paths = [p for _m, p, _s in hs.request_log]
    assert f"/v2/conversations/{hs.cid}/attachments/{log.id}/file" in paths
    assert not any(p.endswith("/data") for p in paths)  # never the base64 endpoint
    entry = LogEntry.objects.get(object_id=str(hs.cid))
    assert "Downloaded attachment console.log" in entry.change_message


def test_a_thumbnail_is_inline_only_for_a_valid_image(hs, downloader):
    shot, log = hs.files["shot"], hs.files["log"]
    response = downloader.get(file_url(hs.cid, shot.id) + "?inline=1")
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline")
    assert b"".join(response.streaming_content) == SHOT
    assert downloader.get(file_url(hs.cid, log.id) + "?inline=1").status_code == 404
    assert not LogEntry.objects.exists()  # thumbnails are not downloads


def test_a_flagged_file_needs_an_explicit_step_and_help_scout_still_refuses(hs, downloader):
    bad = hs.files["bad"]
    warning = downloader.get(file_url(hs.cid, bad.id))
    assert warning.status_code == 200
    text = warning.content.decode()
    assert "did not pass Help Scout" in text and "Download anyway" in text
    assert not any(p.endswith(f"/{bad.id}/file") for _m, p, _s in hs.request_log)
    anyway = downloader.get(file_url(hs.cid, bad.id) + "?accept_risk=1", follow=True)
    assert "Help Scout does not serve this file" in anyway.content.decode()


def test_without_the_permission_there_is_no_link_and_no_file(hs, staff_user):
    client = Client()
    client.force_login(staff_user("view_conversation"))
    page = client.get(change_url(hs.cid)).content.decode()
    assert "console.log" in page
    assert file_url(hs.cid, hs.files["log"].id) not in page
    assert client.get(file_url(hs.cid, hs.files["log"].id)).status_code == 403


def test_an_attachment_of_another_conversation_is_not_found(hs, downloader):
    other = hs.create_conversation(customer_email="zed@example.com", subject="Other")
    with HelpScoutClient.from_settings() as client:
        refresh_conversation(client, other["id"])
    assert downloader.get(file_url(other["id"], hs.files["log"].id)).status_code == 404
