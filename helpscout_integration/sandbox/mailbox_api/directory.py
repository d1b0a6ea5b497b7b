"""Mailboxes (with folders and custom fields), users and tags: read-only routes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .. import shapes
from ..server import ApiError, Request, Response
from .base import (
    lookup,
    paged,
    router,
)

if TYPE_CHECKING:
    from ..host import SandboxHost

# -- mailboxes, users, tags --------------------------------------------------------------------


@router.route("GET", r"/mailboxes")
def list_mailboxes(sb: SandboxHost, request: Request) -> Response:
    items = sorted(sb.store.mailboxes.values(), key=lambda m: m.id)
    return paged(sb, request, "mailboxes", items, lambda m: shapes.mailbox(m, sb.api_base_url))


@router.route("GET", r"/mailboxes/(?P<mailbox_id>\d+)")
def get_mailbox(sb: SandboxHost, request: Request, mailbox_id: str) -> Response:
    return Response.json(shapes.mailbox(lookup(sb.store.mailbox, mailbox_id), sb.api_base_url))


@router.route("GET", r"/mailboxes/(?P<mailbox_id>\d+)/folders")
def list_folders(sb: SandboxHost, request: Request, mailbox_id: str) -> Response:
    mailbox = lookup(sb.store.mailbox, mailbox_id)
    with sb.store.lock:
        items = list(sb.store.folders.get(mailbox.id, []))
        return paged(sb, request, "folders", items, lambda f: shapes.folder(f, sb.store))


@router.route("GET", r"/mailboxes/(?P<mailbox_id>\d+)/fields")
def list_fields(sb: SandboxHost, request: Request, mailbox_id: str) -> Response:
    mailbox = lookup(sb.store.mailbox, mailbox_id)
    items = list(sb.store.custom_fields.get(mailbox.id, []))
    return paged(sb, request, "fields", items, lambda f: shapes.custom_field(f, sb.store))


@router.route("GET", r"/users")
def list_users(sb: SandboxHost, request: Request) -> Response:
    items = sorted(sb.store.users.values(), key=lambda u: u.id)
    email = request.param("email")
    if email:
        items = [u for u in items if u.email.lower() == email.lower()]
    return paged(sb, request, "users", items, lambda u: shapes.user(u, sb.api_base_url))


@router.route("GET", r"/users/me")
def get_me(sb: SandboxHost, request: Request) -> Response:
    # Client-credentials tokens act as the account owner (the first user).
    if not sb.store.users:
        raise ApiError(404, "Resource not found")
    owner = sb.store.users[min(sb.store.users)]
    return Response.json(shapes.user(owner, sb.api_base_url))


@router.route("GET", r"/users/(?P<user_id>\d+)")
def get_user(sb: SandboxHost, request: Request, user_id: str) -> Response:
    return Response.json(shapes.user(lookup(sb.store.user, user_id), sb.api_base_url))


@router.route("GET", r"/tags")
def list_tags(sb: SandboxHost, request: Request) -> Response:
    with sb.store.lock:
        items = sorted(sb.store.tags.values(), key=lambda t: t.id)
        counts = sb.store.conversations.tag_counts()

        def render(tag):
            shaped = shapes.tag(tag, sb.api_base_url)
            shaped["ticketCount"] = counts.get(tag.id, 0)
            return shaped

        return paged(sb, request, "tags", items, render)


@router.route("GET", r"/tags/(?P<tag_id>\d+)")
def get_tag(sb: SandboxHost, request: Request, tag_id: str) -> Response:
    with sb.store.lock:
        tag = lookup(sb.store.tag, tag_id)
        return Response.json(shapes.tag(tag, sb.api_base_url, sb.store))
