"""What a sync run did, per resource and in total, for the command's summary and the task.

Plain counters only: nothing here talks to Help Scout or the database.
"""

from __future__ import annotations

import heapq
from collections import deque
from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any

from .upsert import UpsertResult


def client_counter(client: Any, name: str) -> float:
    """Read one of `client.stats`' counters (object attribute or mapping key), 0 if absent."""
    stats = getattr(client, "stats", None)
    if stats is None:
        return 0
    value = stats.get(name, 0) if isinstance(stats, dict) else getattr(stats, name, 0)
    return value or 0


#: How many of the latest keys `RecentKeys` remembers: 40 pages of 25 conversations (20
#: of 50 customers), where repeats only ever come from the previous page or two.
RECENT_KEYS = 1000


class RecentKeys:
    """A set of (id, modifiedAt) keys that remembers the `capacity` added last and the
    `capacity` newest by modification time (`in`, `add`, `len`).

    A sync recognises items a page carries again by their (id, modifiedAt). Within a
    listing the repeats come from the page or two before (keyset paging restarts one
    second early; paging by number may repeat an item that shifted by one page); a later
    pass of the same run (the incremental passes of a phased full sync) starts from the
    checkpoint minus the overlap, so it lists again the newest items, which may have been
    written long before. Remembering every item of the run, as a plain set would, only
    makes the process grow with the account: this keeps at most 2 x `capacity` keys.
    """

    def __init__(self, capacity: int | None = None) -> None:
        self.capacity = capacity or RECENT_KEYS
        self._recent: set[Hashable] = set()
        self._order: deque[Hashable] = deque()
        self._newest: list[tuple[Any, Hashable]] = []  # a min-heap of (modifiedAt, key)
        self._pinned: set[Hashable] = set()

    def __contains__(self, key: object) -> bool:
        return key in self._recent or key in self._pinned

    def __len__(self) -> int:
        return len(self._recent | self._pinned)

    def add(self, key: Hashable) -> None:
        if key in self:
            return
        self._recent.add(key)
        self._order.append(key)
        if len(self._order) > self.capacity:
            self._recent.discard(self._order.popleft())
        when = key[1] if isinstance(key, tuple) and len(key) == 2 else None
        if when is None:
            return
        if len(self._newest) < self.capacity:
            heapq.heappush(self._newest, (when, key))
            self._pinned.add(key)
        elif when > self._newest[0][0]:
            _old_when, old = heapq.heapreplace(self._newest, (when, key))
            self._pinned.discard(old)
            self._pinned.add(key)


@dataclass
class ResourceReport:
    resource: str
    result: UpsertResult = field(default_factory=UpsertResult)
    pages: int = 0
    items: int = 0
    resumed_from_page: int | None = None
    mode: str = ""
    #: Items a page carried again (pages overlap by a second); not written twice.
    repeats: int = 0
    #: (id, modifiedAt) of the items written last this run, to recognise repeats.
    written: RecentKeys = field(default_factory=RecentKeys, repr=False)

    @property
    def distinct(self) -> int:
        """Items listed, each counted once however many pages carried it."""
        return self.items - self.repeats

    def line(self) -> str:
        """One line that adds up: distinct items = created + updated + unchanged + invalid.

        Repeats (pages overlapping by a second) and deletions (conversations that were
        not listed at all) are said in words, apart from the items listed.
        """
        r = self.result
        resumed = f", resumed at page {self.resumed_from_page}" if self.resumed_from_page else ""
        text = (
            f"{self.resource} ({self.mode}{resumed}): {self.distinct} listed: "
            f"created {r.created}, updated {r.updated}, unchanged {r.unchanged}"
        )
        if r.invalid:
            text += f", invalid {r.invalid}"
        if r.deleted:
            gone = "no longer in Help Scout" if self.resource == "conversations" else "gone"
            text += f"; {r.deleted} deleted ({gone})"
        if self.repeats:
            text += f"; {self.repeats} listed again by overlapping pages or phases (written once)"
        return text

    def as_dict(self) -> dict[str, Any]:
        return {
            "resource": self.resource,
            "mode": self.mode,
            "pages": self.pages,
            "items": self.items,
            "distinct": self.distinct,
            "repeats": self.repeats,
            "resumed_from_page": self.resumed_from_page,
            **self.result.as_dict(),
        }


@dataclass
class SyncReport:
    resources: dict[str, ResourceReport] = field(default_factory=dict)
    requests: int = 0
    rate_limit_waits: int = 0
    rate_limit_wait_seconds: float = 0.0
    retries: int = 0
    seconds: float = 0.0

    def for_resource(self, resource: str) -> ResourceReport:
        if resource not in self.resources:
            self.resources[resource] = ResourceReport(resource)
        return self.resources[resource]

    @property
    def total(self) -> UpsertResult:
        total = UpsertResult()
        for report in self.resources.values():
            total = total + report.result
        return total

    def as_dict(self) -> dict[str, Any]:
        return {
            **self.total.as_dict(),
            "requests": self.requests,
            "rate_limit_waits": self.rate_limit_waits,
            "rate_limit_wait_seconds": round(self.rate_limit_wait_seconds, 3),
            "retries": self.retries,
            "seconds": round(self.seconds, 3),
            "resources": {name: r.as_dict() for name, r in self.resources.items()},
        }

    def summary(self) -> str:
        t = self.total
        return (
            f"created {t.created}, updated {t.updated}, unchanged {t.unchanged}, "
            f"deleted {t.deleted}, invalid {t.invalid}; {self.requests} requests, "
            f"{self.rate_limit_waits} rate-limit waits ({self.rate_limit_wait_seconds:.1f}s), "
            f"{self.seconds:.1f}s"
        )
