"""Conversations and their threads in a `Store`: creating them, replying, noting, and the
changes the API makes (status, assignee, mailbox, customer, tags, custom fields), each
with the line item and the webhook event Help Scout gives it.

Every change takes the lock, goes through `_writable`/`_reindexed` so the indexes stay
true, and announces itself with `_emit`. Removing conversations (deletes and merges) is
`store_merges.py`'s; this module must never drop a conversation from the table.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from .records import Conversation, Customer, Thread
from .store_base import STATUSES, THREAD_TYPES, Invalid, NotFound
from .store_directory import DirectoryStore


class ConversationStore(DirectoryStore):
    """Conversation and thread changes on top of `DirectoryStore`."""

    def _new_thread(
        self,
        conversation: Conversation,
        type: str,
        text: str,
        user_id: int | None,
        customer_id: int | None,
        created_at: float,
    ) -> Thread:
        if type not in THREAD_TYPES:
            raise Invalid([("type", f"unknown thread type {type!r}", type)])
        customer_id = customer_id or conversation.customer_id
        if type in ("customer",) or (type in ("phone", "chat") and not user_id):
            created_by = ("customer", customer_id)
        else:
            author = user_id or conversation.assignee_id or next(iter(self.users), 0)
            if author and author not in self.users:
                raise NotFound("User not found")
            created_by = ("user", author)
        return Thread(
            id=self.next_id("thread"),
            type=type,
            body=text,
            created_at=created_at,
            customer_id=customer_id,
            created_by=created_by,
            assigned_to=conversation.assignee_id,
        )

    def create_conversation(
        self,
        *,
        mailbox_id: int,
        customer: Customer,
        subject: str,
        threads: list[dict],
        status: str = "active",
        type: str = "email",
        tags: Iterable[str] = (),
        assignee_id: int | None = None,
        created_at: float | None = None,
        custom_fields: dict[int, str] | None = None,
        source_type: str | None = None,
    ) -> Conversation:
        """Create a conversation; `threads` items are {type, text, user_id?}, oldest first."""
        with self.lock:
            self.mailbox(mailbox_id)
            if assignee_id is not None:
                self.user(assignee_id)
            if status not in STATUSES:
                raise Invalid([("status", "must be active, pending, closed or spam", status)])
            if not threads:
                raise Invalid([("threads", "at least one thread is required", [])])
            tag_ids = [self.ensure_tag(name).id for name in tags]
            now = self.touch()
            created = created_at if created_at is not None else now
            conversation = Conversation(
                id=self.next_id("conversation"),
                number=self.next_number(),
                mailbox_id=mailbox_id,
                subject=subject,
                status=status,
                customer_id=customer.id,
                created_at=created,
                modified_at=now,
                type=type,
                assignee_id=assignee_id,
                tag_ids=tag_ids,
                custom_fields=dict(custom_fields or {}),
                threads=[],
                source_type=source_type,
            )
            own_threads = self._materialise_threads(conversation)  # the [] just given
            for item in threads:
                thread = self._new_thread(
                    conversation,
                    item.get("type", "customer"),
                    item.get("text", ""),
                    item.get("user_id"),
                    None,
                    created,
                )
                own_threads.append(thread)
            first = own_threads[0]
            conversation.created_by = first.created_by
            conversation.user_updated_at = now
            conversation.customer_waiting_since = created
            conversation.latest_reply_from = first.created_by[0]
            conversation.preview = _preview(own_threads[-1].body)
            conversation.thread_count = _count(own_threads)
            if status == "closed":
                conversation.closed_at = now
                users = [t.created_by[1] for t in own_threads if t.created_by[0] == "user"]
                conversation.closed_by = users[-1] if users else self._actor_id()
            self.conversations[conversation.id] = conversation
            self._index(conversation)
            self._emit("convo.created", "conversation", conversation)
            return conversation

    def add_thread(
        self,
        conversation_id: int,
        type: str,
        text: str,
        *,
        user_id: int | None = None,
        customer_id: int | None = None,
        status: str | None = None,
        cc: Iterable[str] = (),
        bcc: Iterable[str] = (),
    ) -> Thread:
        with self.lock:
            conversation = self._writable(conversation_id)
            with self._reindexed(conversation):
                if status is not None and status not in STATUSES:
                    raise Invalid([("status", "must be active, pending, closed or spam", status)])
                if customer_id is not None:
                    self.customer(customer_id)
                now = self.touch()
                thread = self._new_thread(conversation, type, text, user_id, customer_id, now)
                thread.cc, thread.bcc = list(cc), list(bcc)
                self._freeze_times(conversation)
                threads = self._materialise_threads(conversation)
                threads.append(thread)
                conversation.thread_count = _count(threads)
                if type != "note":
                    conversation.preview = _preview(text)
                if status is None and type == "customer":
                    status = "active"  # a customer reply reopens the conversation
                if status is not None:
                    author = thread.created_by[1] if thread.created_by[0] == "user" else None
                    self._set_status(conversation, status, now, author)
                thread.status = conversation.status
                conversation.modified_at = now
                if thread.created_by[0] == "customer":
                    # A customer's thread moves customerWaitingSince, not userUpdatedAt.
                    conversation.customer_waiting_since = now
                    conversation.latest_reply_from = "customer"
                else:
                    conversation.user_updated_at = now
                    if type != "note":
                        conversation.latest_reply_from = "user"
            event = {
                "customer": "convo.customer.reply.created",
                "note": "convo.note.created",
            }.get(type, "convo.agent.reply.created")
            self._emit(event, "conversation", conversation)
            return thread

    def _actor_name(self) -> str:
        """Who API changes are made as: the account owner (first user), as `/users/me`
        says for client-credentials tokens."""
        if not self.users:
            return "Someone"
        owner = self.users[min(self.users)]
        return f"{owner.first_name} {owner.last_name}".strip() or owner.email

    def _line_item(
        self,
        conversation: Conversation,
        action_type: str,
        text: str,
        now: float,
        *,
        status: str | None = None,
        entities: dict | None = None,
    ) -> Thread:
        """A `lineitem` thread: the system line Help Scout adds for a status change, an
        assignment, a move or a merge (`action.text` says what happened)."""
        return Thread(
            id=self.next_id("thread"),
            type="lineitem",
            body="",
            created_at=now,
            customer_id=conversation.customer_id,
            created_by=("user", min(self.users) if self.users else 0),
            status=status or "nochange",
            assigned_to=conversation.assignee_id,
            action=action_type,
            action_text=text,
            action_entities=dict(entities or {}),
        )

    def _actor_id(self) -> int:
        """The user API changes are made as: the account owner (see `_actor_name`)."""
        return min(self.users) if self.users else 0

    def _set_status(
        self, conversation: Conversation, status: str, now: float, by: int | None = None
    ) -> None:
        """`by`: the user closing it (the API's actor, the account owner, when None)."""
        conversation.status = status
        if status == "closed":
            conversation.closed_at = now
            conversation.closed_by = by or self._actor_id()
        else:
            conversation.closed_at = None
            conversation.closed_by = None

    def update_conversation(self, conversation_id: int, **changes: Any) -> Conversation:
        """Apply changes (subject, status, assignee_id, mailbox_id, customer_id, tags,
        custom_fields) and announce each with its Help Scout event."""
        with self.lock:
            conversation = self._writable(conversation_id)
            with self._reindexed(conversation):
                self._materialise_threads(conversation)
                self._freeze_times(conversation)
                events: list[str] = []
                if "status" in changes and changes["status"] not in STATUSES:
                    raise Invalid([("status", "must be active, pending, closed or spam", None)])
                if changes.get("mailbox_id") is not None:
                    self.mailbox(changes["mailbox_id"])
                if (
                    changes.get("assignee_id") is not None
                    and changes["assignee_id"] not in self.teams
                ):
                    self.user(changes["assignee_id"])  # a user or a team (teams.py)
                if changes.get("customer_id") is not None:
                    self.customer(changes["customer_id"])
                now = self.touch()
                actor = self._actor_name()
                lines: list[Thread] = []
                if "subject" in changes:
                    conversation.subject = changes["subject"]
                if "status" in changes and changes["status"] != conversation.status:
                    self._set_status(conversation, changes["status"], now)
                    events.append("convo.status")
                    lines.append(
                        self._line_item(
                            conversation,
                            "default",
                            f"{actor} marked as {changes['status'].capitalize()}",
                            now,
                            status=changes["status"],
                        )
                    )
                if "assignee_id" in changes and changes["assignee_id"] != conversation.assignee_id:
                    conversation.assignee_id = changes["assignee_id"]
                    events.append("convo.assigned")
                    team = self.teams.get(conversation.assignee_id or 0)
                    assignee = self.users.get(conversation.assignee_id or 0)
                    to = f"{assignee.first_name} {assignee.last_name}".strip() if assignee else ""
                    to = team.name if team else to
                    lines.append(
                        self._line_item(
                            conversation, "default", f"{actor} assigned to {to or 'Anyone'}", now
                        )
                    )
                if "mailbox_id" in changes and changes["mailbox_id"] != conversation.mailbox_id:
                    old = self.mailboxes.get(conversation.mailbox_id)
                    lines.append(
                        self._line_item(
                            conversation,
                            "moved-from-mailbox",
                            f"{actor} moved this conversation from {old.name if old else 'another'}"
                            " mailbox",
                            now,
                            entities={"mailbox": conversation.mailbox_id},
                        )
                    )
                    conversation.mailbox_id = changes["mailbox_id"]
                    events.append("convo.moved")
                if (
                    changes.get("customer_id") is not None
                    and changes["customer_id"] != conversation.customer_id
                ):
                    conversation.customer_id = changes["customer_id"]
                    customer = self.customers.get(conversation.customer_id)
                    name = (
                        f"{customer.first_name} {customer.last_name}".strip() or customer.email
                        if customer
                        else "another customer"
                    )
                    lines.append(
                        self._line_item(
                            conversation,
                            "changed-ticket-customer",
                            f"{actor} changed the customer to {name}",
                            now,
                            entities={"customer": conversation.customer_id},
                        )
                    )
                if "tags" in changes:
                    conversation.tag_ids = list(
                        dict.fromkeys(self.ensure_tag(name).id for name in changes["tags"])
                    )
                    events.append("convo.tags")
                if "custom_fields" in changes:
                    conversation.custom_fields = dict(changes["custom_fields"])
                    events.append("convo.custom-fields")
                if lines:
                    materialised = self._materialise_threads(conversation)  # done above: no-op
                    materialised.extend(lines)
                    conversation.thread_count = _count(materialised)
                conversation.modified_at = now
                conversation.user_updated_at = now  # an API change is a user's change
            for event in events:
                self._emit(event, "conversation", conversation)
            return conversation


def _count(threads: list[Thread]) -> int:
    """A conversation's `threads` count: line items not counted (v1's documented
    `threadCount` rule; v2 does not say)."""
    return sum(1 for thread in threads if thread.type != "lineitem")


def _preview(text: str) -> str:
    plain = re.sub(r"<[^>]+>", "", text or "").strip()
    return plain[:255]
