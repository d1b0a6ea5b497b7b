"""Saved replies: `/mailboxes/{id}/saved-replies` (list, get, create, update, delete).

As Help Scout's Saved Replies pages show: the list is a bare JSON array with no paging,
chat-only replies are left out unless `includeChatReplies=true`, one saved reply carries
`text` (HTML) and `chatText`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from ..server import ApiError, Request, Response, validation_error
from ..toolkit_records import records_for
from .base import body_object, created, lookup, router

if TYPE_CHECKING:
    from ..host import SandboxHost

BASE = r"/mailboxes/(?P<mailbox_id>\d+)/saved-replies"


def _preview(html: str) -> str:
    text = re.sub(r"<br\s*/?>", " ", html)
    return re.sub(r"<[^>]+>", "", text).strip()[:100]


@router.route("GET", BASE)
def list_saved_replies(sb: SandboxHost, request: Request, mailbox_id: str) -> Response:
    mailbox = lookup(sb.store.mailbox, mailbox_id)
    include_chat = (request.param("includeChatReplies") or "false").lower() == "true"
    items = []
    with sb.store.lock:
        for reply in records_for(sb.store).saved_replies.values():
            if reply.mailbox_id != mailbox.id or (not reply.text and not include_chat):
                continue
            item: dict[str, Any] = {"id": reply.id, "name": reply.name}
            if reply.text:
                item["preview"] = _preview(reply.text)
            if include_chat and reply.chat_text:
                item["chatPreview"] = reply.chat_text[:100]
            items.append(item)
    return Response.json(items)


def _saved_reply(sb: SandboxHost, mailbox_id: str, saved_reply_id: str):
    mailbox = lookup(sb.store.mailbox, mailbox_id)
    reply = records_for(sb.store).saved_replies.get(int(saved_reply_id))
    if reply is None or reply.mailbox_id != mailbox.id:
        raise ApiError(404, "Saved reply not found")
    return reply


@router.route("GET", BASE + r"/(?P<saved_reply_id>\d+)")
def get_saved_reply(sb: SandboxHost, request: Request, mailbox_id: str, saved_reply_id: str):
    with sb.store.lock:
        reply = _saved_reply(sb, mailbox_id, saved_reply_id)
        return Response.json(
            {"id": reply.id, "name": reply.name, "text": reply.text, "chatText": reply.chat_text}
        )


def _fields(data: dict) -> tuple[str, str, str]:
    errors: list[tuple[str, str, Any]] = []
    name, text, chat = data.get("name"), data.get("text", ""), data.get("chatText", "")
    if not isinstance(name, str) or not name.strip():
        errors.append(("name", "may not be empty", name))
    for key, value in (("text", text), ("chatText", chat)):
        if value is not None and not isinstance(value, str):
            errors.append((key, "must be a string", value))
    if errors:
        raise validation_error(errors)
    return str(name), str(text or ""), str(chat or "")


@router.route("POST", BASE)
def create_saved_reply(sb: SandboxHost, request: Request, mailbox_id: str) -> Response:
    mailbox = lookup(sb.store.mailbox, mailbox_id)
    name, text, chat = _fields(body_object(request))
    with sb.store.lock:
        reply = records_for(sb.store).add_saved_reply(mailbox.id, name, text, chat)
    return created(f"{sb.api_base_url}/mailboxes/{mailbox.id}/saved-replies/{reply.id}", reply.id)


@router.route("PUT", BASE + r"/(?P<saved_reply_id>\d+)")
def update_saved_reply(sb: SandboxHost, request: Request, mailbox_id: str, saved_reply_id: str):
    name, text, chat = _fields(body_object(request))
    with sb.store.lock:
        reply = _saved_reply(sb, mailbox_id, saved_reply_id)
        reply.name, reply.text, reply.chat_text = name, text, chat
    return Response.empty(204)


@router.route("DELETE", BASE + r"/(?P<saved_reply_id>\d+)")
def delete_saved_reply(sb: SandboxHost, request: Request, mailbox_id: str, saved_reply_id: str):
    with sb.store.lock:
        reply = _saved_reply(sb, mailbox_id, saved_reply_id)
        del records_for(sb.store).saved_replies[reply.id]
    return Response.empty(204)
