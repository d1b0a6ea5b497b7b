"""Python API: open a support conversation for a product user, or reply as that user.

Both write to Help Scout with the user as the customer (by email), then fetch the
conversation once and write it to the mirror, so the product shows it at once. A failed
mirror refresh is logged, never raised: the conversation exists in Help Scout and the
next sync or webhook brings it in. User text is escaped before it reaches Help Scout.
"""

from __future__ import annotations

import base64
import logging
import mimetypes
from typing import Any

from django.utils.html import escape

from ..conf import get_settings
from ..exceptions import ConfigurationError, HelpScoutError

logger = logging.getLogger(__name__)

__all__ = ["open_conversation", "reply_as_customer", "default_mailbox_id"]

MAX_ATTACHMENTS_BYTES = 10 * 1024 * 1024  # Help Scout's documented limit for attachments


def default_mailbox_id() -> int:
    """`HELPSCOUT["DEFAULT_MAILBOX_ID"]`, else the first mirrored mailbox (lowest id)."""
    configured = get_settings().DEFAULT_MAILBOX_ID
    if configured:
        return int(configured)
    from ..models import Mailbox

    first = Mailbox.objects.order_by("id").values_list("id", flat=True).first()
    if first is None:
        raise ConfigurationError(
            "No mailbox to open conversations in: set HELPSCOUT['DEFAULT_MAILBOX_ID'] "
            "or run `manage.py helpscout_sync --resource mailboxes`."
        )
    return first


def _as_html(text: str) -> str:
    """Plain text typed by a user, as the HTML Help Scout stores (escaped, line breaks)."""
    lines = text.strip().replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "<br>".join(escape(line) for line in lines)


def _attachment(item: Any) -> dict:
    """A Help Scout attachment (`fileName`, `mimeType`, base64 `data`) from an uploaded
    file or from a dict already in that shape."""
    if isinstance(item, dict):
        return {"fileName": item["fileName"], "mimeType": item["mimeType"], "data": item["data"]}
    name = getattr(item, "name", "attachment").rsplit("/", 1)[-1]
    mime = getattr(item, "content_type", None) or mimetypes.guess_type(name)[0]
    content = item.read()
    return {
        "fileName": name,
        "mimeType": mime or "application/octet-stream",
        "data": base64.b64encode(content).decode("ascii"),
    }


def _attachments(items) -> list[dict]:
    converted = [_attachment(item) for item in items or ()]
    total = sum(len(a["data"]) * 3 // 4 for a in converted)
    if total > MAX_ATTACHMENTS_BYTES:
        raise ValueError(f"Attachments total {total} bytes; Help Scout accepts up to 10 MB.")
    return converted


def _customer(user) -> dict:
    """The customer to write as: an email or id the user owns (`ownership`), with names."""
    from .ownership import customer_reference

    customer: dict[str, Any] = customer_reference(user)
    if "email" not in customer:
        return customer  # an existing customer by id: Help Scout keeps its names
    for key, attribute in (("firstName", "first_name"), ("lastName", "last_name")):
        value = (getattr(user, attribute, "") or "").strip()[:40]
        if value:
            customer[key] = value
    return customer


def refresh_mirror(client, conversation_id: int) -> bool:
    """Fetch one conversation with its threads and write it to the mirror (a merged one
    is recorded as merged and its survivor mirrored; see sync.fetch)."""
    from ..sync.fetch import fetch_conversation

    try:
        fetch_conversation(client, conversation_id, source="api")
    except HelpScoutError:
        logger.warning("Conversation %s is in Help Scout but not mirrored yet", conversation_id)
        return False
    return True


def _client(client):
    if client is not None:
        return client, False
    from ..client import HelpScoutClient

    return HelpScoutClient.from_settings(), True


def open_conversation(
    user,
    subject: str,
    text: str,
    mailbox_id: int | None = None,
    attachments=None,
    *,
    client=None,
) -> int:
    """Open a conversation in Help Scout from `user` (the customer) and return its id.

    `attachments`: uploaded files, or dicts with `fileName`, `mimeType` and base64
    `data`. Raises ValueError for bad input, HelpScoutError when Help Scout refuses.
    """
    if not subject or not subject.strip():
        raise ValueError("A conversation needs a subject.")
    if not text or not text.strip():
        raise ValueError("A conversation needs a message.")
    customer = _customer(user)
    reference = {"email": customer["email"]} if "email" in customer else {"id": customer["id"]}
    thread: dict[str, Any] = {
        "type": "customer",
        "customer": reference,
        "text": _as_html(text),
    }
    files = _attachments(attachments)
    if files:
        thread["attachments"] = files
    body = {
        "subject": subject.strip()[:255],
        "type": "email",
        "mailboxId": mailbox_id or default_mailbox_id(),
        "status": "active",
        "customer": customer,
        "threads": [thread],
    }
    client, own = _client(client)
    try:
        conversation_id = client.conversations.create(body)
        refresh_mirror(client, conversation_id)
    finally:
        if own:
            client.close()
    return conversation_id


def reply_as_customer(user, conversation, text: str, attachments=None, *, client=None) -> None:
    """Add a customer thread from `user` to a mirrored `conversation` they own, then
    refresh the mirror. The caller checks ownership (see `ownership.conversations_for`)."""
    if not text or not text.strip():
        raise ValueError("A reply needs a message.")
    reference = {"id": conversation.customer_id} if conversation.customer_id else _customer(user)
    body: dict[str, Any] = {"customer": reference, "text": _as_html(text)}
    files = _attachments(attachments)
    if files:
        body["attachments"] = files
    client, own = _client(client)
    try:
        client.conversations.customer_thread(conversation.pk, body)
        refresh_mirror(client, conversation.pk)
    finally:
        if own:
            client.close()
