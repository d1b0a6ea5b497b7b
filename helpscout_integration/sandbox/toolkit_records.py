"""Saved replies, workflows and user statuses of a sandbox account.

Kept beside the `Store` (see `extensions`), changed under `store.lock` by the routes in
`mailbox_api/saved_replies.py`, `workflows.py` and `user_status.py` and by the demo seed.
A workflow's `actions` are what running it does in the sandbox (Help Scout's API does not
expose a workflow's actions; these stand in for them): ("tag", name) or ("status", value).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .extensions import state_for

if TYPE_CHECKING:
    from .store import Store


@dataclass(slots=True)
class SavedReply:
    id: int
    mailbox_id: int
    name: str
    text: str  # HTML for email ("" for a chat-only reply)
    chat_text: str = ""  # plain text for chat


@dataclass(slots=True)
class Workflow:
    id: int
    mailbox_id: int
    name: str
    type: str  # manual | automatic
    status: str  # active | inactive
    order: int
    created_at: float
    modified_at: float
    actions: list[tuple[str, str]] = field(default_factory=list)


@dataclass(slots=True)
class UserStatus:
    user_id: int
    email_status: str = "active"
    email_updated_at: float = 0.0
    performed_by: int = 0
    source: str = "ui"
    chat_status: str = "unavailable"
    chat_mailbox_statuses: dict[str, str] = field(default_factory=dict)


@dataclass
class ToolkitRecords:
    saved_replies: dict[int, SavedReply] = field(default_factory=dict)
    workflows: dict[int, Workflow] = field(default_factory=dict)
    statuses: dict[int, UserStatus] = field(default_factory=dict)
    ids: itertools.count = field(default_factory=lambda: itertools.count(70_001))

    def add_saved_reply(self, mailbox_id: int, name: str, text: str, chat_text: str = ""):
        item = SavedReply(next(self.ids), mailbox_id, name, text, chat_text)
        self.saved_replies[item.id] = item
        return item

    def add_workflow(self, mailbox_id: int, name: str, now: float, *, type: str = "manual",
                     status: str = "active", actions=()) -> Workflow:  # fmt: skip
        order = 1 + sum(1 for w in self.workflows.values() if w.mailbox_id == mailbox_id)
        item = Workflow(next(self.ids), mailbox_id, name, type, status, order, now, now,
                        list(actions))  # fmt: skip
        self.workflows[item.id] = item
        return item

    def status_of(self, user_id: int) -> UserStatus:
        if user_id not in self.statuses:
            self.statuses[user_id] = UserStatus(user_id)
        return self.statuses[user_id]


def records_for(store: Store) -> ToolkitRecords:
    return state_for(store, "toolkit", ToolkitRecords)
