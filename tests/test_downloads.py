"""`downloads.stream_attachment` hands bytes to Django as they arrive: a 10 MB file never
sits whole in memory (the response is fed chunk by chunk from the open download)."""

from __future__ import annotations

import contextlib

import pytest
from django.http import StreamingHttpResponse

from helpscout_integration.downloads import stream_attachment
from helpscout_integration.payloads.attachment import AttachmentInfo

pytestmark = pytest.mark.django_db  # response.close() sends request_finished

CHUNK = 64 * 1024
TEN_MB = 10 * 1024 * 1024


class FakeDownload:
    content_type = "application/pdf"
    content_length = TEN_MB

    def __init__(self, pulled):
        self.pulled = pulled

    def chunks(self):
        for n in range(TEN_MB // CHUNK):
            self.pulled.append(n)
            yield b"%" * CHUNK


class FakeClient:
    def __init__(self):
        self.pulled = []
        self.closed = False
        outer = self

        class Attachments:
            @contextlib.contextmanager
            def open_file(self, conversation_id, attachment_id):
                try:
                    yield FakeDownload(outer.pulled)
                finally:
                    outer.closed = True

        self.attachments = Attachments()


def test_a_10_mb_file_is_streamed_one_chunk_at_a_time():
    client = FakeClient()
    info = AttachmentInfo(9, "big.pdf", "application/pdf", TEN_MB, "valid")
    response = stream_attachment(1, info, client=client)
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Length"] == str(TEN_MB)
    assert client.pulled == []  # nothing read before Django sends the body
    body = iter(response.streaming_content)
    largest = 0
    for count, chunk in enumerate(body, start=1):
        largest = max(largest, len(chunk))
        assert len(client.pulled) == count  # one chunk read per chunk sent
    assert largest == CHUNK and count == TEN_MB // CHUNK
    response.close()
    assert client.closed


def test_closing_early_closes_the_download():
    client = FakeClient()
    info = AttachmentInfo(9, "big.pdf", "application/pdf", TEN_MB, "valid")
    response = stream_attachment(1, info, client=client)
    next(iter(response.streaming_content))
    response.close()  # the browser went away
    assert client.closed and len(client.pulled) == 1


def test_only_valid_raster_images_are_ever_inline():
    for info, inline_expected in (
        (AttachmentInfo(1, "a.png", "image/png", 3, "valid"), True),
        (AttachmentInfo(1, "a.svg", "image/svg+xml", 3, "valid"), False),
        (AttachmentInfo(1, "a.png", "image/png", 3, "malicious"), False),
        (AttachmentInfo(1, "a.html", "text/html", 3, "valid"), False),
    ):
        response = stream_attachment(1, info, inline=True, client=FakeClient())
        assert response["Content-Disposition"].startswith("inline") is inline_expected
        response.close()
