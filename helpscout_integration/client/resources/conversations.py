"""Conversations and their threads: list, get, create, patch, delete, tags, fields, replies.

Bodies are Help Scout's own request shapes, passed through untouched.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
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

    def snooze(
        self, conversation_id: int, until: datetime, *, unsnooze_on_customer_reply: bool
    ) -> None:
        """`PUT /conversations/{id}/snooze` (replaces any snooze); `until` is aware, future."""
        body = {
            "snoozedUntil": iso_utc(until),
            "unsnoozeOnCustomerReply": unsnooze_on_customer_reply,
        }
        self._write("PUT", f"/conversations/{conversation_id}/snooze", body)

    def unsnooze(self, conversation_id: int) -> None:
        """`DELETE /conversations/{id}/snooze`: back to its folder, reactivated if needed."""
        self._write("DELETE", f"/conversations/{conversation_id}/snooze")


class Threads(Resource):
    def list(self, conversation_id: int, **params: Any) -> Listing:
        return self._list(f"/conversations/{conversation_id}/threads", "threads", params)

    def pages(self, conversation_id: int, start_page: int = 1, **params: Any) -> Iterator[Page]:
        return self.list(conversation_id, **params).pages(start_page)

    def schedule(
        self,
        conversation_id: int,
        thread_id: int,
        scheduled_for: datetime,
        *,
        unschedule_on_customer_reply: bool,
        send_as_creator: bool = False,
    ) -> None:
        """ "Send later": `PUT .../threads/{id}/schedule` for a draft reply or forward."""
        body = {
            "scheduledFor": iso_utc(scheduled_for),
            "unscheduleOnCustomerReply": unschedule_on_customer_reply,
            "sendAsCreator": send_as_creator,
        }
        self._write("PUT", self._schedule_path(conversation_id, thread_id), body)

    def unschedule(self, conversation_id: int, thread_id: int) -> None:
        """Cancel "send later": the thread becomes a plain draft again."""
        self._write("DELETE", self._schedule_path(conversation_id, thread_id))

    def send_scheduled_now(self, conversation_id: int, thread_id: int) -> None:
        """Publish a scheduled thread at once."""
        body = {"op": "replace", "path": "/state", "value": "published"}
        self._write("PATCH", self._schedule_path(conversation_id, thread_id), body)

    @staticmethod
    def _schedule_path(conversation_id: int, thread_id: int) -> str:
        return f"/conversations/{conversation_id}/threads/{thread_id}/schedule"


def iso_utc(moment: datetime) -> str:
    """An aware datetime as Help Scout's ISO 8601 in UTC (`2026-03-02T09:00:00Z`)."""
    if moment.tzinfo is None:
        raise ValueError("Help Scout needs an aware datetime (with a time zone)")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
