"""Keeping a `Store`'s conversations findable: seeded conversations kept as columns, their
generated threads, and the time indexes (`modified_order`, `created_order`) that list
queries walk.

Every layer that changes a conversation goes through `_writable` and `_reindexed` here,
so the indexes move with the change. This layer never announces events and never
changes what a conversation says, only where it is filed.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from .ordering import ID_MASK, sort_keys
from .records import Conversation, Thread
from .seeded import STATUS_CODES, SeededColumns
from .store_base import GENERATED_THREADS_CACHE, StoreCore


class IndexedStore(StoreCore):
    """Conversation lookups and index upkeep on top of `StoreCore`."""

    def threads_of(self, conversation: Conversation) -> list[Thread]:
        """The conversation's threads, oldest first (generated for seeded ones)."""
        if conversation.threads is not None:
            return conversation.threads
        if self.thread_generator is None:
            return []
        cached = self._generated.get(conversation.id)
        if cached is None:
            cached = self.thread_generator(self, conversation)
            self._generated[conversation.id] = cached
            if len(self._generated) > GENERATED_THREADS_CACHE:
                self._generated.popitem(last=False)
        return cached

    def add_seeded(self, block: SeededColumns) -> None:
        """Add a seed's conversations (kept as columns) and index them."""
        with self.lock:
            self.conversations.attach(block)
            self.reindex_conversations()

    def reindex_conversations(self) -> None:
        """Rebuild the time indexes from `conversations` (after a bulk fill): keys are
        read from the seeded columns in one pass each, and from the live records."""
        with self.lock:
            table = self.conversations
            for order in (self.modified_order, self.created_order):
                buckets: dict[tuple[str, int], list[int]] = {}
                for block in table.blocks:
                    ids = range(block.first_id, block.stop_id)
                    column = block.modified if order.field == "modified_at" else block.created
                    lists = [
                        buckets.setdefault((status, mailbox), [])
                        for status in STATUS_CODES
                        for mailbox in block.mailboxes
                    ]
                    width = len(block.mailboxes)
                    gone = table.gone_in(block)
                    for key, status, mailbox in zip(
                        sort_keys(column, ids), block.status, block.mailbox, strict=True
                    ):
                        if not gone or (key & ID_MASK) not in gone:
                            lists[status * width + mailbox].append(key)
                for conversation in table.live():
                    bucket = (conversation.status, conversation.mailbox_id)
                    buckets.setdefault(bucket, []).append(order.key(conversation))
                order.rebuild(buckets)

    def _writable(self, conversation_id: int) -> Conversation:
        """The conversation as a record changes may be made to (a seeded one leaves its
        columns for good)."""
        self.conversation(conversation_id)  # NotFound as for any lookup
        return self.conversations.pin(conversation_id)

    @contextmanager
    def _reindexed(self, conversation: Conversation) -> Iterator[None]:
        """Around a change of `conversation`: move its index keys if the change moved its
        status, mailbox, modification or creation time (also when it fails half-way)."""
        before = (
            conversation.status,
            conversation.mailbox_id,
            conversation.modified_at,
            conversation.created_at,
        )
        try:
            yield
        finally:
            status, mailbox, modified, created = before
            if (conversation.status, conversation.mailbox_id) != (status, mailbox):
                self._unindex(conversation, status, mailbox, modified, created)
                self._index(conversation)
            else:
                if conversation.modified_at != modified:
                    self.modified_order.remove(status, mailbox, modified, conversation.id)
                    self.modified_order.add(conversation)
                if conversation.created_at != created:
                    self.created_order.remove(status, mailbox, created, conversation.id)
                    self.created_order.add(conversation)

    def _index(self, conversation: Conversation) -> None:
        self.modified_order.add(conversation)
        self.created_order.add(conversation)

    def _unindex(
        self,
        conversation: Conversation,
        status: str | None = None,
        mailbox_id: int | None = None,
        modified_at: float | None = None,
        created_at: float | None = None,
    ) -> None:
        """Forget the conversation's keys: those of its current values, or of the values
        given (what it was indexed under before a change)."""
        status = conversation.status if status is None else status
        mailbox_id = conversation.mailbox_id if mailbox_id is None else mailbox_id
        modified = conversation.modified_at if modified_at is None else modified_at
        created = conversation.created_at if created_at is None else created_at
        self.modified_order.remove(status, mailbox_id, modified, conversation.id)
        self.created_order.remove(status, mailbox_id, created, conversation.id)

    @staticmethod
    def _freeze_times(conversation: Conversation) -> None:
        """Pin a seeded conversation's user and customer clocks before a change moves
        one of them (until then both read as its modification time)."""
        if conversation.user_updated_at is None:
            conversation.user_updated_at = conversation.modified_at
        if conversation.customer_waiting_since is None:
            conversation.customer_waiting_since = conversation.modified_at

    def _materialise_threads(self, conversation: Conversation) -> list[Thread]:
        """Keep a seeded conversation's threads as they are now, before it changes (its
        generated threads follow its assignee and status)."""
        if conversation.threads is None:
            conversation.threads = list(self.threads_of(conversation))
            self._generated.pop(conversation.id, None)
        return conversation.threads
