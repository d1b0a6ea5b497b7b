"""Saved replies of a mailbox (`/mailboxes/{id}/saved-replies`).

Help Scout answers the list with a bare JSON array (no `_embedded`, no paging) and hides
chat-only replies unless `includeChatReplies=true`. One saved reply carries `text` (HTML)
and `chatText` (plain).
"""

from __future__ import annotations

from typing import Any

from ...exceptions import APIError
from ...jsontypes import JSONObject
from .base import Resource


class SavedReplies(Resource):
    def list(self, mailbox_id: int, *, include_chat_replies: bool = False) -> list[JSONObject]:
        """`[{id, name, preview, chatPreview?}]`, chat-only replies left out by default."""
        params = {"includeChatReplies": "true"} if include_chat_replies else None
        body: Any = self._get(f"/mailboxes/{mailbox_id}/saved-replies", params)
        if not isinstance(body, list):
            raise APIError(
                "Help Scout's saved replies are a JSON array; got something else.",
                method="GET",
                url=f"/mailboxes/{mailbox_id}/saved-replies",
            )
        return [item for item in body if isinstance(item, dict)]

    def get(self, mailbox_id: int, saved_reply_id: int) -> JSONObject:
        return self._get_object(f"/mailboxes/{mailbox_id}/saved-replies/{saved_reply_id}")

    def create(self, mailbox_id: int, body: JSONObject) -> int | None:
        """`{name, text?, chatText?}`; the new id when Help Scout sends one."""
        return self._create_optional_id(f"/mailboxes/{mailbox_id}/saved-replies", body)

    def update(self, mailbox_id: int, saved_reply_id: int, body: JSONObject) -> None:
        self._write("PUT", f"/mailboxes/{mailbox_id}/saved-replies/{saved_reply_id}", body)

    def delete(self, mailbox_id: int, saved_reply_id: int) -> None:
        self._write("DELETE", f"/mailboxes/{mailbox_id}/saved-replies/{saved_reply_id}")
