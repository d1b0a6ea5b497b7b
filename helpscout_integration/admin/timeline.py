"""Turns a conversation's threads into a timeline staff can read safely.

Thread bodies are HTML written by customers and mail clients; they pass through nh3 (an
allow-list sanitiser) before they reach a template. This module must never mark
unsanitised HTML as safe, never lets a remote image load unasked (it may be a tracker),
and never makes an HTTP call.
"""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit

import nh3
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from ..conf import get_settings
from ..models import Thread, ThreadType
from ..payloads.attachment import AttachmentInfo, parse_attachments, web_urls
from ..payloads.scheduling import ScheduledInfo, scheduled_of

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


# Where Help Scout serves attachments and inline images (`/file/<id>/<hash>/<name>`).
HELP_SCOUT_IMAGE_HOSTS = frozenset({"secure.helpscout.net"})
# nh3 serialises every attribute as name="value" with `"`, `<`, `>` and `&` escaped, so
# these patterns read its output exactly (never raw, unsanitised HTML).
_IMG = re.compile(r"<img((?:\s+[a-zA-Z_:][-a-zA-Z0-9_:.]*=\"[^\"]*\")*)\s*/?>")
_ATTR = re.compile(r"([a-zA-Z_:][-a-zA-Z0-9_:.]*)=\"([^\"]*)\"")


def _host_allowed(host: str, allowed: Iterable[str]) -> bool:
    for pattern in allowed:
        pattern = pattern.lower().strip()
        if host == pattern or (pattern.startswith("*.") and host.endswith(pattern[1:])):
            return True
    return False


def image_allowed(src: str, extra_urls: Iterable[str] = ()) -> bool:
    """Whether an `<img src>` may load as the page opens (`ADMIN_REMOTE_IMAGES`).

    Help Scout's own attachment hosts (and the configured `WEB_APP_URL`'s host), and the
    exact URLs of the thread's attachments, always may; other hosts only when the setting
    allows them (True: all; a list: those hosts, `*.example.com` for subdomains).
    Relative and non-http(s) sources never do: they would load from the admin's own site.
    """
    parts = urlsplit(src)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return False
    if src in set(extra_urls):
        return True
    conf = get_settings()
    allowed = {*HELP_SCOUT_IMAGE_HOSTS, urlsplit(conf.WEB_APP_URL).hostname or ""}
    if _host_allowed(parts.hostname, allowed):
        return True
    setting = conf.ADMIN_REMOTE_IMAGES
    if setting is True:
        return True
    if not setting:
        return False
    return _host_allowed(parts.hostname, setting)


def _blocked_image(attributes: dict[str, str]) -> str:
    src = attributes.get("src", "")
    label = escape(_("remote image blocked, show"))
    alt = attributes.get("alt", "")
    title = f' title="{escape(alt)}"' if alt else ""
    if urlsplit(src).scheme not in ("http", "https"):
        return f'<span class="hs-remote-image"{title}>{escape(_("image removed"))}</span>'
    return (
        f'<a class="hs-remote-image" href="{escape(src)}"{title} target="_blank" '
        f'rel="noopener noreferrer nofollow">{label}</a>'
    )


def _block_remote_images(cleaned: str, extra_urls: Iterable[str]) -> str:
    extra = list(extra_urls)

    def replace(match: re.Match) -> str:
        attributes = {k: html_lib.unescape(v) for k, v in _ATTR.findall(match.group(1))}
        src = attributes.get("src", "")
        if not src or image_allowed(src, extra):
            return match.group(0)
        return _blocked_image(attributes)

    return _IMG.sub(replace, cleaned)


def sanitize_thread_html(html: str, attachment_urls: Iterable[str] = ()) -> SafeString:
    """Return thread HTML reduced to an allow-list of tags, attributes and URL schemes.

    Images from outside Help Scout (trackers chosen by whoever wrote the email) become a
    link the reader may follow, unless `ADMIN_REMOTE_IMAGES` allows them; see
    `image_allowed`. `attachment_urls`: the thread's own attachments, always shown.
    """
    cleaned = nh3.clean(
        html or "",
        tags=ALLOWED_TAGS,
        clean_content_tags=DROPPED_WITH_CONTENT,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
    cleaned = _block_remote_images(cleaned, attachment_urls)
    # nh3 output is safe by construction; the blocked-image links escape what they quote.
    return mark_safe(cleaned)  # noqa: S308


# How each thread type is shown: a CSS kind and a label.
KINDS: dict[str, tuple[str, str]] = {
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
class TimelineEntry:
    thread_id: int
    kind: str  # customer | reply | note | lineitem
    label: str
    author: str
    created_at: datetime | None
    html: SafeString
    attachments: list[AttachmentInfo] = field(default_factory=list)
    status: str = ""
    is_draft: bool = False
    scheduled: ScheduledInfo | None = None  # a reply waiting to be sent ("send later")

    @property
    def is_lineitem(self) -> bool:
        return self.kind == "lineitem"


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
    now = timezone.now()
    for thread in threads:
        kind, label = KINDS.get(thread.type, ("note", thread.type or "Thread"))
        attachments = parse_attachments(thread.attachments)
        if kind == "lineitem":
            html = mark_safe(escape(_line_item_text(thread)))  # noqa: S308 (escaped)
        else:
            html = sanitize_thread_html(thread.body, web_urls(thread.attachments))
        entries.append(
            TimelineEntry(
                thread_id=thread.id,
                kind=kind,
                label=label,
                author=_author(thread),
                created_at=thread.created_at,
                html=html,
                attachments=attachments,
                status=thread.status,
                is_draft=thread.state == "draft",
                scheduled=scheduled_of(thread.data, now),
            )
        )
    entries.sort(key=lambda e: (e.created_at is None, e.created_at or datetime.min, e.thread_id))
    return entries
