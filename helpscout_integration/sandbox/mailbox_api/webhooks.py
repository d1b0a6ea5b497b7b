"""The webhooks resource: register, list, update and delete delivery targets. A secret is
written, never read back."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from .. import shapes
from ..server import Request, Response, validation_error
from .base import (
    body_object,
    created,
    lookup,
    paged,
    router,
)

if TYPE_CHECKING:
    from ..host import SandboxHost

# -- webhooks ----------------------------------------------------------------------------------

WEBHOOK_EVENTS = (
    "convo.agent.reply.created",
    "convo.ai-answers.created",
    "convo.assigned",
    "convo.created",
    "convo.custom-fields",
    "convo.customer.reply.created",
    "convo.deleted",
    "convo.merged",
    "convo.moved",
    "convo.note.created",
    "convo.status",
    "convo.tags",
    "customer.created",
    "customer.deleted",
    "customer.updated",
    "satisfaction.ratings",
    "tag.created",
    "tag.deleted",
    "tag.updated",
    "beacon.chat.created",
    "beacon.chat.customer.replied",
    "message.survey.response.received",
    "user.status.changed",  # 2026-02-06 (missing from the older Create Webhook enum)
)


def _webhook_fields(sb: SandboxHost, data: dict, partial: bool = False) -> dict[str, Any]:
    errors: list[tuple[str, str, Any]] = []
    url = data.get("url")
    if not isinstance(url, str) or not re.match(r"^https?://\S+$", url):
        errors.append(("url", "must be an http(s) URL", url))
    events = data.get("events")
    if not isinstance(events, list) or not events:
        errors.append(("events", "must be a non-empty list of events", events))
    else:
        for event in events:
            if event not in WEBHOOK_EVENTS:
                errors.append(("events", "unknown event", event))
    secret = data.get("secret")
    if not isinstance(secret, str) or not secret:
        errors.append(("secret", "may not be empty", None))
    elif len(secret) > 40:
        errors.append(("secret", "may be at most 40 characters", "[redacted]"))
    version = data.get("payloadVersion", "V2")
    if version != "V2":
        errors.append(("payloadVersion", "must be V2", version))
    mailbox_ids = data.get("mailboxIds") or []
    if not isinstance(mailbox_ids, list) or any(m not in sb.store.mailboxes for m in mailbox_ids):
        errors.append(("mailboxIds", "unknown mailbox", mailbox_ids))
    if errors:
        raise validation_error(errors)
    return {
        "url": url,
        "secret": secret,
        "events": list(events or ()),  # validated above: a non-empty list
        "label": str(data.get("label") or ""),
        "notification": bool(data.get("notification", False)),
        "mailbox_ids": list(mailbox_ids),
    }


@router.route("GET", r"/webhooks")
def list_webhooks(sb: SandboxHost, request: Request) -> Response:
    items = sorted(sb.store.webhooks.values(), key=lambda w: w.id)
    return paged(sb, request, "webhooks", items, lambda w: shapes.webhook(w, sb.api_base_url))


@router.route("GET", r"/webhooks/(?P<webhook_id>\d+)")
def get_webhook(sb: SandboxHost, request: Request, webhook_id: str) -> Response:
    return Response.json(shapes.webhook(lookup(sb.store.webhook, webhook_id), sb.api_base_url))


@router.route("POST", r"/webhooks")
def create_webhook(sb: SandboxHost, request: Request) -> Response:
    fields = _webhook_fields(sb, body_object(request))
    webhook = sb.store.add_webhook(**fields)
    return created(f"{sb.api_base_url}/webhooks/{webhook.id}", webhook.id)


@router.route("PUT", r"/webhooks/(?P<webhook_id>\d+)")
def update_webhook(sb: SandboxHost, request: Request, webhook_id: str) -> Response:
    webhook = lookup(sb.store.webhook, webhook_id)
    fields = _webhook_fields(sb, body_object(request))
    with sb.store.lock:
        for name, value in fields.items():
            setattr(webhook, name, value)
    return Response.empty(204)


@router.route("DELETE", r"/webhooks/(?P<webhook_id>\d+)")
def delete_webhook(sb: SandboxHost, request: Request, webhook_id: str) -> Response:
    webhook = lookup(sb.store.webhook, webhook_id)
    sb.store.delete_webhook(webhook.id)
    return Response.empty(204)
