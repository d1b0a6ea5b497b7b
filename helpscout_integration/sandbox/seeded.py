"""Seeded conversations kept as compact columns, turned into records only when asked for.

A million `Conversation` objects cost about 580 bytes each (a slotted record, two floats,
a tag list, a dict, a creator tuple, a seed-key string); as columns of machine numbers a
seeded conversation costs about 30 bytes, and its number, seed key, creator, preview text,
closing fields and threads are derived from its id and columns. `ConversationTable` builds
the record of a seeded conversation on demand and keeps it (as Help Scout keeps it) once
the store changes it.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass, field

from .records import Conversation

#: Statuses by their column code.
STATUS_CODES = ("active", "pending", "closed", "spam")


@dataclass(slots=True)
class SeededColumns:
    """`count` conversations with ids `first_id`.. and numbers `first_number`.., one
    column entry each; small value tables (mailboxes, subjects, previews, tag sets) are
    shared and the columns hold indexes into them."""

    name: str  # the seed's name: a conversation's seed key is f"{name}:{id}"
    first_id: int
    first_number: int
    mailboxes: tuple[int, ...]
    subjects: tuple[str, ...]
    previews: tuple[str, ...]
    tag_sets: list[tuple[int, ...]] = field(default_factory=list)
    created: array = field(default_factory=lambda: array("d"))
    modified: array = field(default_factory=lambda: array("d"))
    customer: array = field(default_factory=lambda: array("L"))
    assignee: array = field(default_factory=lambda: array("L"))  # 0: unassigned
    tags: array = field(default_factory=lambda: array("H"))  # index into tag_sets
    status: bytearray = field(default_factory=bytearray)  # index into STATUS_CODES
    mailbox: bytearray = field(default_factory=bytearray)
    subject: bytearray = field(default_factory=bytearray)
    preview: bytearray = field(default_factory=bytearray)
    thread_count: bytearray = field(default_factory=bytearray)

    def __len__(self) -> int:
        return len(self.created)

    @property
    def stop_id(self) -> int:
        return self.first_id + len(self.created)

    def holds(self, conversation_id: int) -> bool:
        return self.first_id <= conversation_id < self.first_id + len(self.created)

    def status_of(self, conversation_id: int) -> str:
        return STATUS_CODES[self.status[conversation_id - self.first_id]]

    def mailbox_of(self, conversation_id: int) -> int:
        return self.mailboxes[self.mailbox[conversation_id - self.first_id]]

    def conversation(self, conversation_id: int) -> Conversation:
        """The record of a seeded conversation, field for field what the seed would have
        stored had it kept objects."""
        n = conversation_id - self.first_id
        customer_id = self.customer[n]
        assignee = self.assignee[n] or None
        status = STATUS_CODES[self.status[n]]
        modified = self.modified[n]
        conversation = Conversation(
            id=conversation_id,
            number=self.first_number + n,
            mailbox_id=self.mailboxes[self.mailbox[n]],
            subject=self.subjects[self.subject[n]],
            status=status,
            customer_id=customer_id,
            created_at=self.created[n],
            modified_at=modified,
            assignee_id=assignee,
            tag_ids=list(self.tag_sets[self.tags[n]]),
            created_by=("customer", customer_id),
            thread_count=self.thread_count[n],
            seed_key=f"{self.name}:{conversation_id}",
            preview=self.previews[self.preview[n]],
        )
        if status == "closed":
            conversation.closed_at = modified
            conversation.closed_by = assignee or 0
        return conversation
