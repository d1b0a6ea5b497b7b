"""Attachments of conversation threads: upload, download (streamed or base64), delete.

`open_file` streams `GET /conversations/{id}/attachments/{attId}/file` (Help Scout's
download endpoint since 2026-01-29); the base64 `/data` endpoint is kept for completeness
and must never be used to serve a file when `/file` exists. No Help Scout web file URL
(`secure.helpscout.net/file/...`, deprecated for removal 2026-05-31) is ever built here.
"""

from __future__ import annotations

import base64
import contextlib
from collections.abc import Iterator
from dataclasses import dataclass

import httpx

from .base import Resource

#: Help Scout's documented limit for one attachment (create-attachment body, 10 MB).
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
#: Bytes per chunk read from an open download.
DOWNLOAD_CHUNK_BYTES = 64 * 1024


@dataclass
class FileDownload:
    """An open download: its headers are read, its body is not (iterate `chunks()`)."""

    response: httpx.Response
    chunk_size: int = DOWNLOAD_CHUNK_BYTES

    @property
    def content_type(self) -> str:
        return str(self.response.headers.get("Content-Type", "application/octet-stream"))

    @property
    def content_length(self) -> int | None:
        raw = self.response.headers.get("Content-Length", "")
        return int(raw) if raw.isdigit() else None

    def chunks(self) -> Iterator[bytes]:
        yield from self.response.iter_bytes(self.chunk_size)


class Attachments(Resource):
    def upload(
        self, conversation_id: int, thread_id: int, *, file_name: str, mime_type: str, data: bytes
    ) -> int | None:
        """`POST /conversations/{id}/threads/{threadId}/attachments`; the new id if sent."""
        body = {
            "fileName": file_name,
            "mimeType": mime_type,
            "data": base64.b64encode(data).decode("ascii"),
        }
        path = f"/conversations/{conversation_id}/threads/{thread_id}/attachments"
        return self._create_optional_id(path, body)

    def data(self, conversation_id: int, attachment_id: int) -> bytes:
        """The whole file from the base64 `/data` endpoint (small files; prefer open_file)."""
        body = self._get(f"/conversations/{conversation_id}/attachments/{attachment_id}/data")
        return base64.b64decode((body or {}).get("data") or "")

    @contextlib.contextmanager
    def open_file(self, conversation_id: int, attachment_id: int) -> Iterator[FileDownload]:
        """Stream the file from `/file`: `with client.attachments.open_file(c, a) as f:
        for chunk in f.chunks(): ...` (memory stays at one chunk)."""
        path = f"/conversations/{conversation_id}/attachments/{attachment_id}/file"
        with self._transport.stream(path) as response:
            yield FileDownload(response)

    def delete(self, conversation_id: int, attachment_id: int) -> None:
        """Help Scout deletes attachments of draft conversations only."""
        self._write("DELETE", f"/conversations/{conversation_id}/attachments/{attachment_id}")


def inline_attachment(*, file_name: str, mime_type: str, data: bytes) -> dict[str, str]:
    """One entry of a thread body's `attachments` (reply, note...), base64-encoded."""
    return {
        "fileName": file_name,
        "mimeType": mime_type,
        "data": base64.b64encode(data).decode("ascii"),
    }
