"""Saved replies in the reply form: the conversation's mailbox's list (chat-only replies
left out, as Help Scout does by default) and one reply's text, as JSON for the picker
script (`static/helpscout_integration/admin-saved-replies.js`).

The list is cached for `CACHE_SECONDS` per mailbox (the picker's "refresh" asks again);
a reply's text is fetched when chosen. Both need `reply_conversation` and view
permission on the conversation. The text comes back as plain text for the textarea:
Help Scout's HTML (`<br />`) becomes line breaks, tags are dropped; nothing is rendered.
"""

from __future__ import annotations

import html
import re

from django.contrib.admin.utils import unquote
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.urls import path

from ..exceptions import HelpScoutError, NotFoundError
from .operations import _client, describe_error

APP = "helpscout_integration"
PERMISSION = f"{APP}.reply_conversation"
CACHE_SECONDS = 300


def saved_reply_urls(model_admin) -> list:
    prefix = f"{APP}_conversation"
    wrap = model_admin.admin_site.admin_view
    return [
        path(
            "<path:object_id>/saved-replies/",
            wrap(lambda request, object_id: list_view(model_admin, request, object_id)),
            name=f"{prefix}_saved_replies",
        ),
        path(
            "<path:object_id>/saved-replies/<int:saved_reply_id>/",
            wrap(
                lambda request, object_id, saved_reply_id: text_view(
                    model_admin, request, object_id, saved_reply_id
                )
            ),
            name=f"{prefix}_saved_reply",
        ),
    ]


def _conversation(model_admin, request, object_id):
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied
    conversation = model_admin.get_object(request, unquote(object_id))
    if conversation is None or not conversation.mailbox_id:
        raise Http404
    if not model_admin.has_view_or_change_permission(request, conversation):
        raise PermissionDenied
    return conversation


def cache_key(mailbox_id: int) -> str:
    return f"helpscout:saved-replies:{mailbox_id}"


def list_view(model_admin, request, object_id):
    conversation = _conversation(model_admin, request, object_id)
    key = cache_key(conversation.mailbox_id)
    items = None if request.GET.get("refresh") == "1" else cache.get(key)
    if items is None:
        try:
            with _client() as client:
                found = client.saved_replies.list(conversation.mailbox_id)
        except HelpScoutError as exc:
            return JsonResponse({"error": describe_error(exc)}, status=502)
        items = [
            {"id": item["id"], "name": str(item.get("name") or ""),
             "preview": str(item.get("preview") or "")}
            for item in found if isinstance(item.get("id"), int)
        ]  # fmt: skip
        items.sort(key=lambda item: item["name"].lower())
        cache.set(key, items, CACHE_SECONDS)
    return JsonResponse({"saved_replies": items})


def text_view(model_admin, request, object_id, saved_reply_id: int):
    conversation = _conversation(model_admin, request, object_id)
    try:
        with _client() as client:
            item = client.saved_replies.get(conversation.mailbox_id, saved_reply_id)
    except NotFoundError:
        return JsonResponse({"error": "This saved reply no longer exists."}, status=404)
    except HelpScoutError as exc:
        return JsonResponse({"error": describe_error(exc)}, status=502)
    return JsonResponse(
        {"name": str(item.get("name") or ""), "text": html_to_text(str(item.get("text") or ""))}
    )


def html_to_text(value: str) -> str:
    """Help Scout's saved-reply HTML as the plain text a staff member edits."""
    text = re.sub(r"<br\s*/?>", "\n", value, flags=re.IGNORECASE)
    text = re.sub(r"</p\s*>", "\n\n", text, flags=re.IGNORECASE)
    text = re.sub(r"<[^>]*>", "", text)
    return html.unescape(text).strip()
