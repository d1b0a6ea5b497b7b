"""The sandbox account's attachment files: bytes, name, type and scan state per thread.

Kept beside the `Store` (one `AttachmentBook` per store, see `extensions`) so the
store's structure stays untouched; every change takes the store's lock. A file whose
`state` is not `valid` stands for one Help Scout's scan flagged: Help Scout says such a
file "will not be accessible", so its bytes are never served.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .extensions import state_for

if TYPE_CHECKING:
    from .store import Store

FIRST_ATTACHMENT_ID = 30_000_001
#: Help Scout's documented create-attachment limit.
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
#: The state Help Scout gives a file that passed its scan; the sandbox's flagged files
#: say "malicious" (Help Scout's other values are not documented).
VALID = "valid"
MALICIOUS = "malicious"


@dataclass(slots=True)
class AttachmentFile:
    id: int
    conversation_id: int
    thread_id: int
    filename: str
    mime_type: str
    content: bytes
    state: str = VALID
    width: int | None = None
    height: int | None = None


class AttachmentBook:
    def __init__(self) -> None:
        self._ids = itertools.count(FIRST_ATTACHMENT_ID)
        self.files: dict[int, AttachmentFile] = {}
        self.by_thread: dict[int, list[int]] = {}

    def add(
        self,
        conversation_id: int,
        thread_id: int,
        filename: str,
        mime_type: str,
        content: bytes,
        state: str = VALID,
    ) -> AttachmentFile:
        item = AttachmentFile(
            next(self._ids), conversation_id, thread_id, filename, mime_type, content, state
        )
        if mime_type == "image/png" and content[:8] == b"\x89PNG\r\n\x1a\n" and len(content) > 24:
            item.width = int.from_bytes(content[16:20], "big")
            item.height = int.from_bytes(content[20:24], "big")
        self.files[item.id] = item
        self.by_thread.setdefault(thread_id, []).append(item.id)
        return item

    def of_thread(self, thread_id: int) -> list[AttachmentFile]:
        return [self.files[i] for i in self.by_thread.get(thread_id, ()) if i in self.files]

    def remove(self, attachment_id: int) -> None:
        item = self.files.pop(attachment_id, None)
        if item is not None:
            self.by_thread.get(item.thread_id, []).remove(attachment_id)


def book_for(store: Store) -> AttachmentBook:
    return state_for(store, "attachments", AttachmentBook)


def shaped(item: AttachmentFile, base: str) -> dict[str, Any]:
    """An attachment as a thread embeds it (Help Scout's List Threads example)."""
    result: dict[str, Any] = {
        "id": item.id,
        "filename": item.filename,
        "mimeType": item.mime_type,
        "size": len(item.content),
        "state": item.state,
    }
    if item.width is not None:
        result["width"] = item.width
        result["height"] = item.height
    attachment_url = f"{base}/conversations/{item.conversation_id}/attachments/{item.id}"
    result["_links"] = {
        "self": {"href": attachment_url},
        "data": {"href": attachment_url + "/data"},
        # The deprecated web URL Help Scout still sends (the app must never use it).
        "web": {"href": f"https://secure.helpscout.net/file/{item.id}/sandbox/{item.filename}"},
    }
    return result


def shaped_for_thread(store: Store, thread_id: int, base: str) -> list[dict[str, Any]]:
    return [shaped(item, base) for item in book_for(store).of_thread(thread_id)]
