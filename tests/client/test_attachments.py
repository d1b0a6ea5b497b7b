"""The `attachments` resource against the sandbox over HTTP, and its streaming without it."""

from __future__ import annotations

import itertools

import httpx
import pytest

from helpscout_integration.client import HelpScoutClient
from helpscout_integration.client.resources.attachments import inline_attachment
from helpscout_integration.exceptions import NotFoundError, ValidationError
from helpscout_integration.sandbox import Sandbox
from helpscout_integration.sandbox.attachment_files import MALICIOUS, book_for


@pytest.fixture(scope="module")
def sb():
    with Sandbox(rate_limit_per_minute=None, write_burst=None) as sandbox:
        yield sandbox


@pytest.fixture
def client(sb):
    settings = sb.helpscout_settings()
    with HelpScoutClient(
        app_id=settings["APP_ID"],
        app_secret=settings["APP_SECRET"],
        api_base_url=sb.api_base_url,
        token_url=sb.token_url,
        sleep=lambda seconds: None,
    ) as made:
        yield made


_emails = itertools.count(1)


@pytest.fixture
def conversation(sb):
    made = sb.create_conversation(customer_email=f"ivy{next(_emails)}@example.com")
    return made["id"], made["_embedded"]["threads"][0]["id"]


def test_upload_then_stream_the_same_bytes(client, conversation):
    conversation_id, thread_id = conversation
    content = bytes(range(256)) * 1000
    new_id = client.attachments.upload(
        conversation_id, thread_id, file_name="log.bin", mime_type="application/octet-stream",
        data=content,
    )  # fmt: skip
    with client.attachments.open_file(conversation_id, new_id) as download:
        assert download.content_type == "application/octet-stream"
        assert download.content_length == len(content)
        chunks = list(download.chunks())
    assert b"".join(chunks) == content
    assert len(chunks) > 1 and max(len(c) for c in chunks) <= 64 * 1024
    assert client.attachments.data(conversation_id, new_id) == content
    thread = client.conversations.get(conversation_id)["_embedded"]["threads"][0]
    [shown] = thread["_embedded"]["attachments"]
    assert (shown["id"], shown["filename"], shown["size"], shown["state"]) == (
        new_id, "log.bin", len(content), "valid",
    )  # fmt: skip


def test_a_flagged_file_is_not_served(sb, client, conversation):
    conversation_id, thread_id = conversation
    flagged = book_for(sb.store).add(
        conversation_id, thread_id, "x.exe", "application/x-msdownload", b"MZ", state=MALICIOUS
    )
    with pytest.raises(NotFoundError):
        with client.attachments.open_file(conversation_id, flagged.id):
            pass
    with pytest.raises(NotFoundError):
        client.attachments.data(conversation_id, flagged.id)


def test_an_attachment_of_another_conversation_is_404(sb, client, conversation):
    conversation_id, thread_id = conversation
    other = sb.create_conversation(customer_email=f"z{next(_emails)}@example.com")
    item = book_for(sb.store).add(conversation_id, thread_id, "a.txt", "text/plain", b"a")
    with pytest.raises(NotFoundError):
        with client.attachments.open_file(other["id"], item.id):
            pass


def test_more_than_10_mb_is_refused_with_413(client, conversation):
    conversation_id, thread_id = conversation
    with pytest.raises(ValidationError) as caught:
        client.attachments.upload(
            conversation_id, thread_id, file_name="big.bin", mime_type="application/zip",
            data=b"\0" * (10 * 1024 * 1024 + 1),
        )  # fmt: skip
    assert caught.value.status_code == 413


def test_inline_attachments_of_a_note_land_on_its_thread(sb, client, conversation):
    conversation_id, _ = conversation
    user_id = min(sb.store.users) if sb.store.users else sb.create_user("Ann", "Agent")["id"]
    file = inline_attachment(file_name="steps.txt", mime_type="text/plain", data=b"1. 2. 3.")
    thread_id = client.conversations.note(
        conversation_id, {"text": "see file", "user": user_id, "attachments": [file]}
    )
    [item] = book_for(sb.store).of_thread(thread_id)
    assert (item.filename, item.content) == ("steps.txt", b"1. 2. 3.")


def test_open_file_does_not_read_the_body_before_it_is_iterated():
    pulled = []

    def body():
        for n in range(100):
            pulled.append(n)
            yield b"x" * 65536

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/oauth2/token"):
            return httpx.Response(200, json={"access_token": "t", "expires_in": 7200})
        assert request.url.path == "/v2/conversations/1/attachments/2/file"
        return httpx.Response(200, headers={"Content-Type": "image/png"}, content=body())

    with HelpScoutClient(
        app_id="a", app_secret="s", transport=httpx.MockTransport(handler)
    ) as client:
        with client.attachments.open_file(1, 2) as download:
            assert pulled == []  # headers only so far
            chunks = download.chunks()
            next(chunks)
            assert len(pulled) == 1
            assert sum(len(c) for c in chunks) == 99 * 65536
