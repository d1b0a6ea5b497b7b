"""Conversations and their threads: list, get, create, patch, delete, tags, fields, replies.

Bodies are Help Scout's own request shapes, passed through untouched.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from ...jsontypes import JSONObject
from ..pagination import Listing, Page
from .base import Resource


class Conversations(Resource):
    def list(self, **params: Any) -> Listing:
        """`GET /conversations` with Help Scout's parameters (`status="all"`, `mailbox`,
        `tag`, `modifiedSince`, `query`, `embed="threads"`, `sortField`, `sortOrder`...).

        Help Scout lists only active conversations unless `status` says otherwise.
        """
        return self._list("/conversations", "conversations", params)

    def pages(self, start_page: int = 1, **params: Any) -> Iterator[Page]:
        return self.list(**params).pages(start_page)

    def get(self, conversation_id: int, embed: str | None = "threads") -> JSONObject:
        """One conversation, with its threads embedded unless `embed=None`."""
        return self._get_object(f"/conversations/{conversation_id}", {"embed": embed})

    def create(self, body: JSONObject) -> int:
        """`POST /conversations`; returns the new conversation id."""
        return self._create("/conversations", body)

    def update(self, conversation_id: int, op: str, path: str, value: Any = None) -> None:
        """One patch operation, e.g. `update(1, "replace", "/status", "closed")`."""
        operation: dict[str, Any] = {"op": op, "path": path}
        if value is not None or op != "remove":
            operation["value"] = value
        self._write("PATCH", f"/conversations/{conversation_id}", operation)

    def delete(self, conversation_id: int) -> None:
        self._write("DELETE", f"/conversations/{conversation_id}")

    def set_tags(self, conversation_id: int, tags: Iterable[str]) -> None:
        """Replace all of the conversation's tags."""
        self._write("PUT", f"/conversations/{conversation_id}/tags", {"tags": list(tags)})

    def set_fields(self, conversation_id: int, fields: Iterable[JSONObject]) -> None:
        """Replace custom field values: `[{"id": 1, "value": "..."}]`."""
        self._write("PUT", f"/conversations/{conversation_id}/fields", {"fields": list(fields)})

    def reply(self, conversation_id: int, body: JSONObject) -> int | None:
        """An agent reply; returns the new thread id when Help Scout sends one."""
        return self._create_optional_id(f"/conversations/{conversation_id}/reply", body)

    def note(self, conversation_id: int, body: JSONObject) -> int | None:
        return self._create_optional_id(f"/conversations/{conversation_id}/notes", body)

    def customer_thread(self, conversation_id: int, body: JSONObject) -> int | None:
        """A thread written as the customer."""
        return self._create_optional_id(f"/conversations/{conversation_id}/customer", body)

    def phone(self, conversation_id: int, body: JSONObject) -> int | None:
        return self._create_optional_id(f"/conversations/{conversation_id}/phones", body)

    def chat(self, conversation_id: int, body: JSONObject) -> int | None:
        return self._create_optional_id(f"/conversations/{conversation_id}/chats", body)


class Threads(Resource):
    def list(self, conversation_id: int, **params: Any) -> Listing:
        return self._list(f"/conversations/{conversation_id}/threads", "threads", params)

    def pages(self, conversation_id: int, start_page: int = 1, **params: Any) -> Iterator[Page]:
        return self.list(conversation_id, **params).pages(start_page)
