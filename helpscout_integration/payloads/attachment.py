"""A thread attachment as Help Scout describes it (`_embedded.attachments[]` of a thread).

Help Scout spells the name `filename` in responses and `fileName` in requests (its PHP SDK
accepts both); `state` (since 2024-08-27) says whether the file passed Help Scout's scan:
only `valid` files are safe to show or open without a warning. Pure parsing: nothing
here builds a URL to Help Scout's web app (those file URLs are deprecated).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

#: The one state Help Scout gives a file that passed its scan.
VALID_STATE = "valid"
#: Raster image types a browser shows without running anything (never SVG: it can script).
THUMBNAIL_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp"})


@dataclass(frozen=True)
class AttachmentInfo:
    id: int | None
    filename: str
    mime_type: str
    size: int | None
    state: str  # "" when Help Scout sent none (threads mirrored before 2024-08-27)
    width: int | None = None
    height: int | None = None

    @property
    def is_valid(self) -> bool:
        return self.state == VALID_STATE

    @property
    def can_thumbnail(self) -> bool:
        """Shown as an image in the page: a raster image whose scan said valid."""
        return self.is_valid and self.mime_type.lower() in THUMBNAIL_TYPES


def _text(value: Any) -> str:
    """A string field, "" for any other type: attachments are read when a page is shown,
    from stored JSON, so a wrong type is left out (never coerced, never a 500)."""
    return value if isinstance(value, str) else ""


def _int(value: Any) -> int | None:
    if type(value) is int:
        return value
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return None


def parse_attachment(raw: Any) -> AttachmentInfo | None:
    """One attachment, or None when `raw` is not an object."""
    if not isinstance(raw, dict):
        return None
    name = _text(raw.get("filename") or raw.get("fileName") or raw.get("name")) or "file"
    return AttachmentInfo(
        id=_int(raw.get("id")),
        filename=name.replace("/", "_").replace("\\", "_"),
        mime_type=_text(raw.get("mimeType")) or "application/octet-stream",
        size=_int(raw.get("size")),
        state=_text(raw.get("state")).lower(),
        width=_int(raw.get("width")),
        height=_int(raw.get("height")),
    )


def parse_attachments(raw: Any) -> list[AttachmentInfo]:
    """Every attachment of a thread's stored list, skipping what is not an object."""
    found = (parse_attachment(item) for item in (raw if isinstance(raw, list) else []))
    return [a for a in found if a is not None]


def web_urls(raw: Any) -> list[str]:
    """The attachments' `_links.web` hrefs: only so a thread body's inline image that
    points at its own attachment still shows; never offered as a download."""
    urls = []
    for item in raw if isinstance(raw, list) else []:
        links = item.get("_links") if isinstance(item, dict) else None
        web = links.get("web") if isinstance(links, dict) else None
        href = web.get("href") if isinstance(web, dict) else None
        if isinstance(href, str) and href.startswith("https://"):
            urls.append(href)
    return urls
