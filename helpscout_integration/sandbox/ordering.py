"""Conversations kept sorted by a time (modification or creation), per status and per
(status, mailbox).

Help Scout answers `GET /conversations?modifiedSince=...&sortField=modifiedAt` and its
default listing (`sortField=createdAt`) from indexes: a page costs the same at 20,000
conversations as at 1,000,000. The sync asks the first once per page (its keyset cursor
moves `modifiedSince` every page) and the second once per mailbox per incremental run (the
count check reads `page.totalElements`), so a sandbox that filtered and sorted the whole
account per request grew slower with the account and made every large-account benchmark
measure the sandbox instead of the sync.

Each conversation has one key in its status's list and the same key in its (status,
mailbox) list: `sortedcontainers.SortedList` (a well-kept pure-Python library) gives
O(log N) insert, remove, bisect and positional access, so a page of a query over several
lists costs O(lists² · log N + page). A key is one int, `(time, id)` packed so that int
order is exactly the slow path's order (time, then id): 40 bytes where a tuple of a float
and an int costs 108, which is what lets 1,000,000 seeded conversations be indexed twice
in a few hundred MB. `Store` keeps the lists in step with every change; this module knows
nothing of HTTP.
"""

from __future__ import annotations

import heapq
import itertools
import struct
from array import array
from collections.abc import Iterable, Iterator

from sortedcontainers import SortedList

from .records import Conversation

#: Ids live in the low bits of a key; the time's order-preserving 64-bit image above them.
ID_BITS = 40
ID_MASK = (1 << ID_BITS) - 1
_SIGN = 1 << 63
_ALL_BITS = (1 << 64) - 1
_DOUBLE = struct.Struct("<d")
_UINT64 = struct.Struct("<Q")


def time_bits(value: float) -> int:
    """An unsigned 64-bit int whose order is the float order (IEEE 754 total order trick:
    set the sign bit of non-negative numbers, flip every bit of negative ones; -0.0 is
    0.0 first, as the two compare equal)."""
    (bits,) = _UINT64.unpack(_DOUBLE.pack(value + 0.0))
    return bits ^ _ALL_BITS if bits & _SIGN else bits | _SIGN


def sort_key(value: float, conversation_id: int) -> int:
    """The key ordering conversations by (value, id), as the slow path sorts them."""
    if not 0 <= conversation_id <= ID_MASK:
        raise ValueError(f"conversation id {conversation_id} does not fit in a sort key")
    return (time_bits(value) << ID_BITS) | conversation_id


def sort_keys(values: array, ids: range) -> list[int]:
    """`sort_key` of a whole column of doubles at once (a seed's), their raw IEEE bits
    read in one pass from the array's bytes."""
    if ids and not (0 <= ids[0] and ids[-1] <= ID_MASK):
        raise ValueError("conversation ids do not fit in a sort key")
    bits = array("Q")
    bits.frombytes(values.tobytes())
    if all(b < _SIGN for b in bits):  # no negative time: set the sign bit of each
        return [((b | _SIGN) << ID_BITS) | i for b, i in zip(bits, ids, strict=True)]
    return [(time_bits(v) << ID_BITS) | i for v, i in zip(values, ids, strict=True)]


class SortedOrder:
    """Sorted keys of every conversation by one time field (`modified_at` or
    `created_at`), bucketed by status and by (status, mailbox)."""

    def __init__(self, field: str) -> None:
        self.field = field
        self._by_status: dict[str, SortedList] = {}
        self._by_mailbox: dict[tuple[str, int], SortedList] = {}

    def __len__(self) -> int:
        return sum(len(keys) for keys in self._by_status.values())

    def key(self, conversation: Conversation) -> int:
        return sort_key(getattr(conversation, self.field), conversation.id)

    # -- changes ----------------------------------------------------------------------------

    def rebuild(self, buckets: dict[tuple[str, int], list[int]]) -> None:
        """Index every conversation at once (what a seed uses) from its keys per (status,
        mailbox): each list is sorted in place, and a status's list is the concatenation
        of its mailboxes' sorted runs sorted once more (a merge of runs for Timsort)."""
        by_status: dict[str, list[int]] = {}
        for (status, _mailbox), keys in sorted(buckets.items()):
            keys.sort()
            by_status.setdefault(status, []).extend(keys)
        for keys in by_status.values():
            keys.sort()
        self._by_status = {s: SortedList(keys) for s, keys in by_status.items() if keys}
        self._by_mailbox = {b: SortedList(keys) for b, keys in buckets.items() if keys}

    def add(self, conversation: Conversation) -> None:
        key = self.key(conversation)
        self._by_status.setdefault(conversation.status, SortedList()).add(key)
        bucket = (conversation.status, conversation.mailbox_id)
        self._by_mailbox.setdefault(bucket, SortedList()).add(key)

    def remove(self, status: str, mailbox_id: int, value: float, conversation_id: int) -> None:
        """Forget a key; the caller passes the values it was indexed under."""
        key = sort_key(value, conversation_id)
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
        whose time is in or after the whole second `since` (None: any), in time order."""
        if mailboxes is None:
            lists = [self._by_status.get(status) for status in sorted(statuses)]
        else:
            lists = [
                self._by_mailbox.get((status, mailbox))
                for status in sorted(statuses)
                for mailbox in sorted(mailboxes)
            ]
        # sort_key(since, 0) sorts before every key with a time t >= since, and after every
        # key with t < since: floor(t) >= since <=> t >= since.
        floor = sort_key(float(since), 0) if since is not None else None
        views = [
            (keys, keys.bisect_left(floor) if floor is not None else 0) for keys in lists if keys
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
        merged: Iterator[int] = runs[0] if len(runs) == 1 else heapq.merge(*runs)
        return [key & ID_MASK for key in itertools.islice(merged, stop - first)]

    def _cuts(self, rank: int) -> list[int]:
        """Per view, the position of its first key of union rank >= `rank`."""
        starts = [start for _keys, start in self._views]
        if rank == 0 or len(self._views) == 1:
            return [starts[0] + rank] if len(self._views) == 1 else starts
        pivot = self._key_of_rank(rank)
        return [keys.bisect_left(pivot) for keys, _start in self._views]

    def _rank(self, key: int) -> int:
        return sum(keys.bisect_left(key) - start for keys, start in self._views)

    def _key_of_rank(self, rank: int) -> int:
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
