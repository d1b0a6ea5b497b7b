"""Conversations leaving a `Store`: deletes, merges, and the 301 a merged conversation
answers with for 60 days (`merged_into`).

A removed conversation leaves the table and both time indexes, and its id is remembered
in `deleted_conversations` (and, for a merge, `merged_conversations`) so lists and
lookups answer as Help Scout does. This layer must never remove a conversation without
announcing it (`convo.deleted` or `convo.merged`).
"""

from __future__ import annotations

from .records import Conversation
from .store_base import MERGE_REDIRECT_SECONDS, Invalid
from .store_conversations import ConversationStore, _count


class MergeStore(ConversationStore):
    """Conversation deletes and merges on top of `ConversationStore`."""

    def merged_into(self, conversation_id: int) -> int | None:
        """The survivor a merged conversation redirects to, while the 301 lasts (60 days
        of sandbox time), else None."""
        with self.lock:
            found = self.merged_conversations.get(conversation_id)
            if found is None:
                return None
            survivor, merged_at = found
            if self.clock.now() - merged_at >= self.clock.real_seconds(MERGE_REDIRECT_SECONDS):
                return None
            return survivor

    def delete_conversation(self, conversation_id: int) -> None:
        with self.lock:
            conversation = self.conversation(conversation_id)
            del self.conversations[conversation.id]
            self._unindex(conversation)
            self.deleted_conversations.add(conversation.id)
            self.touch()
            self._emit("convo.deleted", "deleted", {"id": conversation.id})

    def merge_conversations(self, source_id: int, into_id: int) -> Conversation:
        """Move the source's threads into the target; the source disappears (like a delete,
        but announced as `convo.merged` with the surviving conversation)."""
        with self.lock:
            source = self.conversation(source_id)
            target = self._writable(into_id)
            if source.id == target.id:
                raise Invalid([("id", "cannot merge a conversation into itself", source_id)])
            moved = list(self.threads_of(source))
            threads = self._materialise_threads(target)
            threads.extend(moved)
            threads.sort(key=lambda t: (t.created_at, t.id))
            target.thread_count = _count(threads)
            del self.conversations[source.id]
            self._unindex(source)
            self.deleted_conversations.add(source.id)
            self._freeze_times(target)
            with self._reindexed(target):
                target.modified_at = target.user_updated_at = self.touch()
            threads.append(
                self._line_item(
                    target,
                    "merged",
                    f"{self._actor_name()} merged #{source.number} into this conversation",
                    target.modified_at,
                    entities={"conversation": source.id},
                )
            )
            self.merged_conversations[source.id] = (target.id, self.clock.now())
            self._emit(
                "convo.merged",
                "conversation",
                target,
                merged_threads=frozenset(thread.id for thread in moved),
            )
            return target
