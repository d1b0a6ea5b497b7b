"""The account's conversations: a mapping by id over seeded columns and live records.

`Store.conversations` used to be a dict of records; a `large:1000000` seed then cost
24 s and 762 MiB. This mapping answers the same questions (lookup, `in`, `len`,
iteration, `del`) with seeded conversations kept as `SeededColumns` and their records
built when asked for. A record that was handed out is the same object for as long as
anyone holds it (a weak registry), so a caller that holds a conversation across a change
sees the change; `pin` moves a seeded conversation into the live records before the
store changes it, after which its columns are never read again.
"""

from __future__ import annotations

import bisect
import weakref
from collections import Counter
from collections.abc import Iterator, MutableMapping

from .records import Conversation
from .seeded import SeededColumns


class ConversationTable(MutableMapping[int, Conversation]):
    def __init__(self) -> None:
        self._live: dict[int, Conversation] = {}
        self._blocks: list[SeededColumns] = []
        self._block_starts: list[int] = []
        # Seeded ids the columns no longer answer for: deleted, or pinned into _live.
        self._gone: set[int] = set()
        self._views: weakref.WeakValueDictionary[int, Conversation] = weakref.WeakValueDictionary()

    # -- seeded blocks ---------------------------------------------------------------------

    def attach(self, block: SeededColumns) -> None:
        """Add a seed's conversations (their ids must not be in use)."""
        if any(key in self._live for key in range(block.first_id, block.stop_id)):
            raise ValueError("seeded ids already in use")
        position = bisect.bisect(self._block_starts, block.first_id)
        self._blocks.insert(position, block)
        self._block_starts.insert(position, block.first_id)

    @property
    def blocks(self) -> list[SeededColumns]:
        return self._blocks

    def gone_in(self, block: SeededColumns) -> set[int]:
        """The ids of `block` its columns no longer answer for (deleted or pinned)."""
        return {key for key in self._gone if block.holds(key)}

    def tag_counts(self) -> Counter[int]:
        """How many conversations carry each tag id (`ticketCount`), from the columns'
        tag-set codes (counted in C) rather than a record per conversation: `GET /tags`,
        which every sync run asks, must not build a million records."""
        counts: Counter[int] = Counter()
        for block in self._blocks:
            codes = Counter(block.tags)
            for gone in self.gone_in(block):
                codes[block.tags[gone - block.first_id]] -= 1
            for code, number in codes.items():
                for tag_id in block.tag_sets[code]:
                    counts[tag_id] += number
        for conversation in self._live.values():
            counts.update(conversation.tag_ids)
        return counts

    def live(self) -> Iterator[Conversation]:
        """The conversations kept as records (created, or seeded and since changed)."""
        return iter(self._live.values())

    def seeded(self, conversation_id: int) -> SeededColumns | None:
        """The block whose columns still answer for this id (None once pinned or gone)."""
        if conversation_id in self._gone:
            return None
        return self._block_of(conversation_id)

    def _block_of(self, conversation_id: int) -> SeededColumns | None:
        position = bisect.bisect(self._block_starts, conversation_id) - 1
        if position >= 0 and self._blocks[position].holds(conversation_id):
            return self._blocks[position]
        return None

    def pin(self, conversation_id: int) -> Conversation:
        """The conversation as a live record, which changes may be made to."""
        live = self._live.get(conversation_id)
        if live is not None:
            return live
        conversation = self[conversation_id]
        self._live[conversation_id] = conversation
        self._gone.add(conversation_id)
        return conversation

    def _view(self, block: SeededColumns, conversation_id: int) -> Conversation:
        view = self._views.get(conversation_id)
        if view is None:
            view = block.conversation(conversation_id)
            self._views[conversation_id] = view
        return view

    # -- mapping ---------------------------------------------------------------------------

    def __getitem__(self, conversation_id: int) -> Conversation:
        live = self._live.get(conversation_id)
        if live is not None:
            return live
        block = self.seeded(conversation_id) if isinstance(conversation_id, int) else None
        if block is None:
            raise KeyError(conversation_id)
        return self._view(block, conversation_id)

    def __contains__(self, conversation_id: object) -> bool:
        if conversation_id in self._live:
            return True
        return isinstance(conversation_id, int) and self.seeded(conversation_id) is not None

    def __setitem__(self, conversation_id: int, conversation: Conversation) -> None:
        if self._block_of(conversation_id) is not None:
            self._gone.add(conversation_id)
        self._live[conversation_id] = conversation

    def __delitem__(self, conversation_id: int) -> None:
        if conversation_id in self._live:
            del self._live[conversation_id]
        elif self.seeded(conversation_id) is not None:
            self._gone.add(conversation_id)
        else:
            raise KeyError(conversation_id)
        self._views.pop(conversation_id, None)

    def __len__(self) -> int:
        # Pinned ids are counted once: in _gone (not from the columns) and in _live.
        seeded = sum(len(block) for block in self._blocks)
        return seeded - len(self._gone) + len(self._live)

    def __iter__(self) -> Iterator[int]:
        """Seeded ids in id order (a changed one where it was), then the others."""
        live, gone = self._live, self._gone
        for block in self._blocks:
            for conversation_id in range(block.first_id, block.stop_id):
                if conversation_id not in gone or conversation_id in live:
                    yield conversation_id
        for conversation_id in live:
            if self._block_of(conversation_id) is None:
                yield conversation_id

    def values(self) -> _Values:  # type: ignore[override]
        return _Values(self)


class _Values:
    """`values()` without a lookup per id: records of each block in one pass."""

    def __init__(self, table: ConversationTable) -> None:
        self._table = table

    def __len__(self) -> int:
        return len(self._table)

    def __iter__(self) -> Iterator[Conversation]:
        table = self._table
        live, gone = table._live, table._gone
        for block in table._blocks:
            for conversation_id in range(block.first_id, block.stop_id):
                if conversation_id in gone:
                    if conversation_id in live:
                        yield live[conversation_id]
                else:
                    yield table._view(block, conversation_id)
        for conversation_id, conversation in live.items():
            if table._block_of(conversation_id) is None:
                yield conversation
