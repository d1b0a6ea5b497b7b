"""Attachment routes: upload to a thread, base64 `/data`, the streamed `/file` download
(Help Scout, 2026-01-29), delete; and the inline `attachments[]` of new threads.

Shapes follow Help Scout's pages (Create Attachment, Get Attachment Data, Download
Attachment File, Delete Attachment) and the PHP SDK's AttachmentPayloads fixture. A file
the scan flagged (state other than `valid`) is never served: Help Scout says it "will not
be accessible" (the sandbox answers 404; Help Scout's exact answer is not documented).
"""

from __future__ import annotations

import base64
import binascii
from typing import TYPE_CHECKING, Any

from ..attachment_files import MAX_ATTACHMENT_BYTES, VALID, book_for
from ..server import ApiError, Request, Response, validation_error
from .base import body_object, created, lookup, router

if TYPE_CHECKING:
    from ..host import SandboxHost

InlineFile = tuple[str, str, bytes]


def read_file_fields(item: Any, path: str, errors: list) -> InlineFile | None:
    """`{fileName, mimeType, data}` (all required, data base64) or None with errors."""
    if not isinstance(item, dict):
        errors.append((path, "must be an object with fileName, mimeType and data", item))
        return None
    name, mime, data = item.get("fileName"), item.get("mimeType"), item.get("data")
    found = len(errors)
    if not isinstance(name, str) or not name.strip():
        errors.append((f"{path}.fileName", "may not be empty", name))
    if not isinstance(mime, str) or "/" not in mime:
        errors.append((f"{path}.mimeType", "must be a MIME type such as image/png", mime))
    content = b""
    if not isinstance(data, str) or not data:
        errors.append((f"{path}.data", "may not be empty", None))
    else:
        try:
            content = base64.b64decode(data, validate=True)
        except (binascii.Error, ValueError):
            errors.append((f"{path}.data", "must be base64-encoded", None))
    if len(content) > MAX_ATTACHMENT_BYTES:
        raise ApiError(413, "Attachment is larger than 10 MB")
    if len(errors) > found:
        return None
    return str(name), str(mime), content


def read_inline(value: Any, errors: list) -> list[InlineFile]:
    """A new thread's `attachments` list (absent or empty: none)."""
    if value in (None, []):
        return []
    if not isinstance(value, list):
        errors.append(("attachments", "must be a list", value))
        return []
    found = [read_file_fields(item, f"attachments[{n}]", errors) for n, item in enumerate(value)]
    return [f for f in found if f is not None]


def store_inline(sb: SandboxHost, conversation_id: int, thread_id: int, files: list[InlineFile]):
    with sb.store.lock:
        book = book_for(sb.store)
        for name, mime, content in files:
            book.add(conversation_id, thread_id, name, mime, content)


def _thread_ids(sb: SandboxHost, conversation) -> set[int]:
    return {t.id for t in sb.store.threads_of(conversation)}


@router.route(
    "POST", r"/conversations/(?P<conversation_id>\d+)/threads/(?P<thread_id>\d+)/attachments"
)
def create_attachment(sb: SandboxHost, request: Request, conversation_id: str, thread_id: str):
    with sb.store.lock:
        conversation = lookup(sb.store.conversation, conversation_id)
        if int(thread_id) not in _thread_ids(sb, conversation):
            raise ApiError(404, "Thread not found")
    errors: list[tuple[str, str, Any]] = []
    parsed = read_file_fields(body_object(request), "", errors)
    if parsed is None:
        raise validation_error([(p.lstrip("."), m, v) for p, m, v in errors])
    with sb.store.lock:
        item = book_for(sb.store).add(conversation.id, int(thread_id), *parsed)
    return created(
        f"{sb.api_base_url}/conversations/{conversation.id}/attachments/{item.id}", item.id
    )


def _attachment(sb: SandboxHost, conversation_id: str, attachment_id: str):
    with sb.store.lock:
        conversation = lookup(sb.store.conversation, conversation_id)
        item = book_for(sb.store).files.get(int(attachment_id))
        if item is None or item.conversation_id != conversation.id:
            raise ApiError(404, "Attachment not found")
        return item


def _served(sb: SandboxHost, conversation_id: str, attachment_id: str):
    item = _attachment(sb, conversation_id, attachment_id)
    if item.state != VALID:
        raise ApiError(404, "Attachment not found")
    return item


@router.route(
    "GET", r"/conversations/(?P<conversation_id>\d+)/attachments/(?P<attachment_id>\d+)/data"
)
def attachment_data(sb: SandboxHost, request: Request, conversation_id: str, attachment_id: str):
    item = _served(sb, conversation_id, attachment_id)
    return Response.json({"data": base64.b64encode(item.content).decode("ascii")})


@router.route(
    "GET", r"/conversations/(?P<conversation_id>\d+)/attachments/(?P<attachment_id>\d+)/file"
)
def attachment_file(sb: SandboxHost, request: Request, conversation_id: str, attachment_id: str):
    item = _served(sb, conversation_id, attachment_id)
    quoted = item.filename.replace("\\", "_").replace('"', "_")
    return Response(
        200,
        item.content,
        {
            "Content-Type": item.mime_type,
            "content-disposition": f'attachment; filename="{quoted}"',
        },
    )


@router.route(
    "DELETE", r"/conversations/(?P<conversation_id>\d+)/attachments/(?P<attachment_id>\d+)"
)
def delete_attachment(sb: SandboxHost, request: Request, conversation_id: str, attachment_id: str):
    item = _attachment(sb, conversation_id, attachment_id)
    # Help Scout deletes attachments of draft conversations only; sandbox ones never are.
    raise validation_error(
        [("attachmentId", "Attachments can only be deleted from draft conversations", item.id)]
    )
