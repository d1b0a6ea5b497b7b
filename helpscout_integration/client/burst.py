"""Pacing writes to Help Scout's burst limit: at most 12 writes in any 5 seconds per account.

Help Scout does not say whether it counts those 5 seconds in fixed or sliding windows, so
this pacer keeps to the stricter reading: any 5-second interval holds at most `limit`
writes, wherever it starts. A burst of up to `limit` writes goes out at once; the next write
waits until the write `limit` places before it is `window` (plus a small margin) old.

Shared by every process through the Django cache, like the minute limiter: each write takes
a ticket (`cache.incr`, atomic on Redis/Memcached) and records when it is planned to leave;
ticket n is planned `window` after ticket n - limit. It only ever waits, through the
injected `sleep`; Help Scout's 429 (handled by the transport) stays the backstop for writes
of other apps on the same account.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..exceptions import RateLimitedError
from .stats import ClientStats

if TYPE_CHECKING:
    from django.core.cache.backends.base import BaseCache

# Help Scout's documented write burst limit.
DEFAULT_BURST_WRITES = 12
DEFAULT_BURST_WINDOW = 5.0
# Spacing beyond the window, as a fraction of it, for network jitter and clock skew.
MARGIN_FRACTION = 0.05
# A ticket claimed by another process but not yet planned: look again this many times.
PENDING_LOOKS = 3


class WriteBurstPacer:
    def __init__(
        self,
        *,
        cache: BaseCache,
        key: str,
        limit: int = DEFAULT_BURST_WRITES,
        window: float = DEFAULT_BURST_WINDOW,
        clock: Callable[[], float],
        sleep: Callable[[float], Any],
        stats: ClientStats,
        max_wait: float | None = None,
    ) -> None:
        if limit < 1:
            raise ValueError("write_burst_limit must be at least 1")
        if window <= 0:
            raise ValueError("write_burst_window must be positive")
        self.limit = limit
        self.window = window
        self.margin = window * MARGIN_FRACTION
        self._cache = cache
        self._counter_key = key + ":tickets"
        self._key = key
        self._clock = clock
        self._sleep = sleep
        self._stats = stats
        self.max_wait = max_wait

    def acquire(self) -> float:
        """Block until one more write may leave; return the seconds waited."""
        ticket = self._take_ticket()
        now = self._clock()
        earlier = self._planned(ticket - self.limit) if ticket > self.limit else None
        planned = now if earlier is None else max(now, earlier + self.window + self.margin)
        # Kept until the write `limit` tickets later has read it (real seconds, rounded up).
        ttl = max(1, math.ceil(planned - now + self.window * 2))
        self._cache.set(f"{self._key}:{ticket}", planned, ttl)
        wait = planned - now
        if wait <= 0:
            return 0.0
        if self.max_wait is not None and wait > self.max_wait:
            raise RateLimitedError(
                f"Help Scout's write burst limit ({self.limit} writes in "
                f"{self.window:g} s) makes this write wait {wait:.1f} s (more than the "
                f"{self.max_wait:g} s this client may wait).",
                retry_after=wait,
            )
        self._stats.record_rate_limit_wait(wait)
        self._sleep(wait)
        return wait

    def _take_ticket(self) -> int:
        self._cache.add(self._counter_key, 0, None)
        try:
            return int(self._cache.incr(self._counter_key))
        except ValueError:  # evicted between add and incr
            self._cache.add(self._counter_key, 1, None)
            return 1

    def _planned(self, ticket: int) -> float | None:
        """When `ticket` leaves; None when it is long gone (its record expired)."""
        for look in range(PENDING_LOOKS):
            planned = self._cache.get(f"{self._key}:{ticket}")
            if planned is not None:
                return float(planned)
            if look + 1 < PENDING_LOOKS:
                # Claimed a moment ago by another process that has not planned it yet.
                self._sleep(0.001)
        return None
