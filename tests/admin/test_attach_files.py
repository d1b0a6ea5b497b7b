"""Staff attach files to replies and notes; they reach Help Scout with the thread."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from helpscout_integration.models import Thread
from helpscout_integration.sandbox.attachment_files import book_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def hs(sandbox_conversation):
    return sandbox_conversation(subject="Broken export")


@pytest.fixture
def ada(logged_in_staff):
    return logged_in_staff(
        "view_conversation", "reply_conversation", "note_conversation", email="ada@example.com"
    )


def url(name, cid):
    return reverse(f"admin:helpscout_integration_conversation_{name}", args=[cid])


def files_on_help_scout(sb, cid):
    threads = sb.store.threads_of(sb.store.conversation(cid))
    book = book_for(sb.store)
    return {(t.type, f.filename, f.content) for t in threads for f in book.of_thread(t.id)}


def test_a_note_carries_its_files(hs, ada):
    upload = SimpleUploadedFile("steps.txt", b"1. open\n2. crash", content_type="text/plain")
    response = ada.post(
        url("note", hs.cid), {"note-text": "Repro attached", "note-attachments": upload}
    )
    assert response.status_code == 302
    assert files_on_help_scout(hs, hs.cid) == {("note", "steps.txt", b"1. open\n2. crash")}
    note = Thread.objects.get(conversation_id=hs.cid, type="note")
    assert [a["filename"] for a in note.attachments] == ["steps.txt"]  # mirror refreshed


def test_a_reply_keeps_its_files_through_the_review_page(hs, ada):
    upload = SimpleUploadedFile("fix.png", b"\x89PNG...", content_type="image/png")
    review = ada.post(url("reply", hs.cid), {"reply-text": "Try this", "reply-attachments": upload})
    page = review.content.decode()
    assert review.status_code == 200 and "fix.png" in page and "Send reply" in page
    assert files_on_help_scout(hs, hs.cid) == set()  # nothing sent before confirmation
    token = re.search(r'name="reply-stash" value="([^"]+)"', page).group(1)

    sent = ada.post(
        url("reply", hs.cid), {"reply-text": "Try this", "reply-stash": token, "confirmed": "1"}
    )
    assert sent.status_code == 302
    assert files_on_help_scout(hs, hs.cid) == {("message", "fix.png", b"\x89PNG...")}
    # Sent once: the stash is gone, so a replayed confirmation cannot attach them again.
    again = ada.post(
        url("reply", hs.cid), {"reply-text": "Try this", "reply-stash": token, "confirmed": "1"}
    )
    assert "no longer here" in again.content.decode()


def test_a_file_over_10_mb_is_refused_with_a_clear_error(hs, ada):
    big = SimpleUploadedFile("dump.zip", b"\0" * (10 * 1024 * 1024 + 1), "application/zip")
    response = ada.post(url("note", hs.cid), {"note-text": "Dump", "note-attachments": big})
    page = response.content.decode()
    assert response.status_code == 200
    assert "“dump.zip” is 10.0 MB; Help Scout accepts files up to 10 MB." in page
    assert "Dump" in page  # what was typed is kept
    assert files_on_help_scout(hs, hs.cid) == set()
    assert not [p for m, p, _ in hs.request_log if m == "POST" and "notes" in p]


def test_a_stash_token_of_another_user_is_refused(hs, ada, staff_user):
    upload = SimpleUploadedFile("a.txt", b"a", content_type="text/plain")
    review = ada.post(url("reply", hs.cid), {"reply-text": "x", "reply-attachments": upload})
    token = re.search(r'name="reply-stash" value="([^"]+)"', review.content.decode()).group(1)
    bob = Client()
    bob.force_login(staff_user("view_conversation", "reply_conversation", email="ada@example.com"))
    response = bob.post(
        url("reply", hs.cid), {"reply-text": "x", "reply-stash": token, "confirmed": "1"}
    )
    assert "another session" in response.content.decode()
    assert files_on_help_scout(hs, hs.cid) == set()
