"""Turns a conversation's threads into a timeline staff can read safely.

Thread bodies are HTML written by customers and mail clients; they pass through nh3 (an
allow-list sanitiser) before they reach a template. This module must never mark
unsanitised HTML as safe, and never makes an HTTP call.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

import nh3
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from ..models import Thread, ThreadType

# Tags that mail bodies legitimately use; everything else is stripped (text kept).
ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "div", "em", "h1", "h2", "h3", "h4",
    "h5", "h6", "hr", "i", "img", "li", "ol", "p", "pre", "s", "small", "span", "strong",
    "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
}
# No javascript:, data: or vbscript: links; only what a support mail needs.
ALLOWED_URL_SCHEMES = {"http", "https", "mailto", "tel"}
# Removed together with their content, not just unwrapped.
DROPPED_WITH_CONTENT = {"script", "style", "title", "noscript", "template", "iframe", "object"}


def sanitize_thread_html(html: str) -> SafeString:
    """Return thread HTML reduced to an allow-list of tags, attributes and URL schemes."""
    cleaned = nh3.clean(
        html or "",
        tags=ALLOWED_TAGS,
        clean_content_tags=DROPPED_WITH_CONTENT,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
    return mark_safe(cleaned)  # noqa: S308 (nh3 output is safe by construction)


# How each thread type is shown: a CSS kind and a label.
KINDS = {
    ThreadType.CUSTOMER: ("customer", "Customer"),
    ThreadType.MESSAGE: ("reply", "Agent reply"),
    ThreadType.NOTE: ("note", "Note"),
    ThreadType.LINEITEM: ("lineitem", "Event"),
    ThreadType.PHONE: ("customer", "Phone"),
    ThreadType.CHAT: ("customer", "Chat"),
    ThreadType.BEACON_CHAT: ("customer", "Beacon chat"),
    ThreadType.FORWARD_PARENT: ("note", "Forwarded"),
    ThreadType.FORWARD_CHILD: ("note", "Forward"),
}


@dataclass(frozen=True)
class Attachment:
    name: str
    mime_type: str = ""
    size: int | None = None
    url: str = ""

    @property
    def size_label(self) -> str:
        if self.size is None:
            return ""
        size = float(self.size)
        for unit in ("B", "KB", "MB"):
            if size < 1024:
                return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
            size /= 1024
        return f"{size:.1f} GB"


@dataclass(frozen=True)
class TimelineEntry:
    thread_id: int
    kind: str  # customer | reply | note | lineitem
    label: str
    author: str
    created_at: datetime | None
    html: SafeString
    attachments: list[Attachment] = field(default_factory=list)
    status: str = ""

    @property
    def is_lineitem(self) -> bool:
        return self.kind == "lineitem"


def _attachments(raw) -> list[Attachment]:
    """Read attachment rows as the mirror stores them, tolerating missing keys."""
    result = []
    for item in raw or []:
        if not isinstance(item, dict):
            continue
        url = item.get("url") or ""
        if not url:
            links = item.get("_links") or {}
            url = (links.get("web") or links.get("data") or {}).get("href", "")
        if url and not url.startswith(("http://", "https://")):
            url = ""  # never render a javascript: or relative link from a payload
        size = item.get("size")
        result.append(
            Attachment(
                name=str(
                    item.get("filename") or item.get("fileName") or item.get("name") or "file"
                ),
                mime_type=str(item.get("mimeType") or item.get("mime_type") or ""),
                size=size if isinstance(size, int) else None,
                url=url,
            )
        )
    return result


def _author(thread: Thread) -> str:
    if thread.created_by_name:
        return thread.created_by_name
    if thread.created_by_email:
        return thread.created_by_email
    if thread.type == ThreadType.CUSTOMER and thread.customer_id and thread.customer:
        return str(thread.customer)
    return ""


def _line_item_text(thread: Thread) -> str:
    """One quiet line for a system event: Help Scout's `action.text` ("Ana marked as
    Closed"), else the status it set, else a plain "Event"."""
    text = (thread.action_text or "").strip() or (thread.body or "").strip()
    if text:
        return text
    if thread.status and thread.status != "nochange":
        return f"Status changed to {thread.status}"
    return "Event"


def build_timeline(threads: Iterable[Thread]) -> list[TimelineEntry]:
    """Timeline entries, oldest first, for the given threads."""
    entries = []
    for thread in threads:
        kind, label = KINDS.get(thread.type, ("note", thread.type or "Thread"))
        if kind == "lineitem":
            html = mark_safe(escape(_line_item_text(thread)))  # noqa: S308 (escaped)
        else:
            html = sanitize_thread_html(thread.body)
        entries.append(
            TimelineEntry(
                thread_id=thread.id,
                kind=kind,
                label=label,
                author=_author(thread),
                created_at=thread.created_at,
                html=html,
                attachments=_attachments(thread.attachments),
                status=thread.status,
            )
        )
    entries.sort(key=lambda e: (e.created_at is None, e.created_at or datetime.min, e.thread_id))
    return entries
