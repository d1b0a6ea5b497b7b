"""Conversations kept sorted by modification time, per status and per (status, mailbox).

Help Scout answers `GET /conversations?modifiedSince=...&sortField=modifiedAt` from an
index: a page costs the same at 20,000 conversations as at 1,000,000. The sync asks that
question once per page (its keyset cursor moves `modifiedSince` every page), so a sandbox
that filtered and sorted the whole account per request grew slower with the account and
made every large-account benchmark measure the sandbox instead of the sync.

Each conversation has one `(modified_at, id)` key in its status's list and one in its
(status, mailbox) list: `sortedcontainers.SortedList` (a well-kept pure-Python library)
gives O(log N) insert, remove, bisect and positional access, so a page of a query over
several lists costs O(lists² · log N + page). The key order is exactly the slow path's
(`sort_value("modifiedAt")`, then id). `Store` keeps the lists in step with every change;
this module knows nothing of HTTP.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Iterable, Iterator

from sortedcontainers import SortedList

from .records import Conversation

Key = tuple[float, int]


def _key(conversation: Conversation) -> Key:
    return (conversation.modified_at, conversation.id)


class ModifiedOrder:
    """Sorted `(modified_at, id)` keys of every conversation, bucketed by status and by
    (status, mailbox)."""

    def __init__(self) -> None:
        self._by_status: dict[str, SortedList] = {}
        self._by_mailbox: dict[tuple[str, int], SortedList] = {}

    def __len__(self) -> int:
        return sum(len(keys) for keys in self._by_status.values())

    # -- changes ----------------------------------------------------------------------------

    def rebuild(self, conversations: Iterable[Conversation]) -> None:
        """Index every conversation at once (what a seed uses): one sort of them all, then
        each bucket is filled in order, so building its SortedList only checks the order."""
        by_status: dict[str, list[Key]] = {}
        by_mailbox: dict[tuple[str, int], list[Key]] = {}
        for conversation in sorted(conversations, key=_key):
            key = (conversation.modified_at, conversation.id)
            by_status.setdefault(conversation.status, []).append(key)
            by_mailbox.setdefault((conversation.status, conversation.mailbox_id), []).append(key)
        self._by_status = {status: SortedList(keys) for status, keys in by_status.items()}
        self._by_mailbox = {bucket: SortedList(keys) for bucket, keys in by_mailbox.items()}

    def add(self, conversation: Conversation) -> None:
        key = _key(conversation)
        self._by_status.setdefault(conversation.status, SortedList()).add(key)
        bucket = (conversation.status, conversation.mailbox_id)
        self._by_mailbox.setdefault(bucket, SortedList()).add(key)

    def remove(self, status: str, mailbox_id: int, modified_at: float, conversation_id: int):
        """Forget a key; the caller passes the values it was indexed under."""
        key = (modified_at, conversation_id)
        self._by_status[status].remove(key)
        self._by_mailbox[(status, mailbox_id)].remove(key)

    # -- queries ----------------------------------------------------------------------------

    def query(
        self,
        statuses: Iterable[str],
        mailboxes: Iterable[int] | None,
        since: int | None,
        descending: bool,
    ) -> OrderedSelection:
        """The conversations with one of `statuses`, in one of `mailboxes` (None: any) and
        modified in or after the whole second `since`, in modification order."""
        if mailboxes is None:
            lists = [self._by_status.get(status) for status in sorted(statuses)]
        else:
            lists = [
                self._by_mailbox.get((status, mailbox))
                for status in sorted(statuses)
                for mailbox in sorted(mailboxes)
            ]
        # (since,) sorts before every (t, id) with t >= since: floor(t) >= since <=> t >= since.
        views = [
            (keys, keys.bisect_left((since,)) if since is not None else 0) for keys in lists if keys
        ]
        return OrderedSelection([(k, start) for k, start in views if start < len(k)], descending)


class OrderedSelection:
    """A query's answer as a lazy sequence of conversation ids: `len()` and slices, which
    is all the HAL pager asks of it."""

    def __init__(self, views: list[tuple[SortedList, int]], descending: bool) -> None:
        self._views = views
        self._descending = descending
        self._total = sum(len(keys) - start for keys, start in views)

    def __len__(self) -> int:
        return self._total

    def __getitem__(self, item: slice) -> list[int]:
        if not isinstance(item, slice) or item.step not in (None, 1):
            raise TypeError("OrderedSelection supports only contiguous slices")
        first, stop, _ = item.indices(self._total)
        if stop <= first:
            return []
        if self._descending:
            # Descending rank r is ascending rank total - 1 - r.
            ids = self._ascending(self._total - stop, self._total - first)
            ids.reverse()
            return ids
        return self._ascending(first, stop)

    def _ascending(self, first: int, stop: int) -> list[int]:
        """Ids at ascending ranks [first, stop) of the union of the views."""
        cuts = self._cuts(first)
        runs = [keys.islice(cut) for (keys, _start), cut in zip(self._views, cuts, strict=True)]
        merged: Iterator[Key] = runs[0] if len(runs) == 1 else heapq.merge(*runs)
        return [key[1] for key in itertools.islice(merged, stop - first)]

    def _cuts(self, rank: int) -> list[int]:
        """Per view, the position of its first key of union rank >= `rank`."""
        starts = [start for _keys, start in self._views]
        if rank == 0 or len(self._views) == 1:
            return [starts[0] + rank] if len(self._views) == 1 else starts
        pivot = self._key_of_rank(rank)
        return [keys.bisect_left(pivot) for keys, _start in self._views]

    def _rank(self, key: Key) -> int:
        return sum(keys.bisect_left(key) - start for keys, start in self._views)

    def _key_of_rank(self, rank: int) -> Key:
        """The key with exactly `rank` smaller keys in the union (keys are unique): a binary
        search of each view in turn, counting with bisects of all of them."""
        for keys, start in self._views:
            low, high = start, len(keys)
            while low < high:
                middle = (low + high) // 2
                if self._rank(keys[middle]) <= rank:
                    low = middle + 1
                else:
                    high = middle
            if low > start and self._rank(keys[low - 1]) == rank:
                return keys[low - 1]
        raise IndexError(rank)
