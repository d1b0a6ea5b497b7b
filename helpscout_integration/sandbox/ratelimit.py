"""Help Scout's per-account rate limits: a budget per (scaled) minute shared by all tokens,
and a burst limit on writes.

Fixed one-minute windows; writes (POST, PUT, PATCH, DELETE) cost 2. On top of that, at most
12 writes in any 5 (scaled) seconds (Help Scout's documented write burst limit). Help
Scout does not say how it counts those 5 seconds; the sandbox counts a sliding window, the
strictest reading, so a client that passes here passes against fixed windows too. Answers
what the headers should say and, once a budget is spent, how long to wait (real seconds).
Keeps no per-token state: every token of the account draws on one budget.
"""

from __future__ import annotations

import math
import threading
from collections import deque
from dataclasses import dataclass

from .clock import Clock

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# Help Scout's write burst limit: writes per interval of (Help Scout) seconds.
DEFAULT_WRITE_BURST = (12, 5.0)


@dataclass(frozen=True)
class Decision:
    allowed: bool
    limit: int
    remaining: int
    retry_after: float  # real seconds until the window resets (0 when allowed)

    def headers(self) -> dict[str, str]:
        headers = {
            "X-RateLimit-Limit-Minute": str(self.limit),
            "X-RateLimit-Remaining-Minute": str(self.remaining),
        }
        if not self.allowed:
            headers["X-RateLimit-Retry-After"] = format_seconds(self.retry_after)
        return headers


def format_seconds(seconds: float) -> str:
    """Whole seconds like Help Scout; a decimal only when a scaled window is sub-second."""
    if seconds >= 1 or seconds <= 0:
        return str(max(1, math.ceil(seconds)))
    return f"{math.ceil(seconds * 1000) / 1000:.3f}"


class RateLimiter:
    """`per_minute=None` turns the minute limit off (headers still show a generous
    budget); `write_burst=None` turns the write burst limit off, else (writes, seconds)."""

    def __init__(
        self,
        per_minute: int | None,
        clock: Clock,
        write_burst: tuple[int, float] | None = DEFAULT_WRITE_BURST,
    ) -> None:
        if per_minute is not None and per_minute < 1:
            raise ValueError("rate_limit_per_minute must be at least 1, or None for no limit")
        if write_burst is not None and (write_burst[0] < 1 or write_burst[1] <= 0):
            raise ValueError("write_burst must be (writes >= 1, seconds > 0), or None")
        self.per_minute = per_minute
        self.write_burst = write_burst
        self.clock = clock
        self._lock = threading.Lock()
        self._window_start = clock.monotonic()
        self._used = 0
        self._writes: deque[float] = deque()  # when each write inside the burst window came

    @property
    def window_seconds(self) -> float:
        return self.clock.real_seconds(60.0)

    def _roll(self, now: float) -> None:
        if now - self._window_start >= self.window_seconds:
            elapsed = int((now - self._window_start) // self.window_seconds)
            self._window_start += elapsed * self.window_seconds
            self._used = 0

    def charge(self, method: str) -> Decision:
        """Take the cost of one request from the budgets, or refuse it (a refused request
        costs nothing)."""
        write = method.upper() in WRITE_METHODS
        cost = 2 if write else 1
        with self._lock:
            now = self.clock.monotonic()
            if write and self.write_burst is not None:
                burst_wait = self._burst_wait(now)
                if burst_wait > 0:
                    # The minute's budget is not spent: its headers stay true.
                    limit, remaining = self._minute_left(now)
                    return Decision(False, limit, remaining, burst_wait)
            if self.per_minute is None:
                decision = Decision(True, 1_000_000, 1_000_000, 0.0)
            else:
                self._roll(now)
                if self._used + cost > self.per_minute:
                    wait = self._window_start + self.window_seconds - now
                    return Decision(False, self.per_minute, 0, max(wait, 0.001))
                self._used += cost
                decision = Decision(True, self.per_minute, self.per_minute - self._used, 0.0)
            if write and self.write_burst is not None:
                self._writes.append(now)
            return decision

    @property
    def burst_window_seconds(self) -> float:
        return self.clock.real_seconds(self.write_burst[1]) if self.write_burst else 0.0

    def _burst_wait(self, now: float) -> float:
        """0 when one more write fits in the burst window, else real seconds until it does."""
        limit = self.write_burst[0]  # type: ignore[index]
        window = self.burst_window_seconds
        while self._writes and self._writes[0] <= now - window:
            self._writes.popleft()
        if len(self._writes) < limit:
            return 0.0
        return max(self._writes[-limit] + window - now, 0.001)

    def _minute_left(self, now: float) -> tuple[int, int]:
        if self.per_minute is None:
            return 1_000_000, 1_000_000
        self._roll(now)
        return self.per_minute, self.per_minute - self._used

    def peek(self) -> Decision:
        """The budget left, without spending any (for answers that cost nothing)."""
        with self._lock:
            if self.per_minute is None:
                return Decision(True, 1_000_000, 1_000_000, 0.0)
            self._roll(self.clock.monotonic())
            return Decision(True, self.per_minute, self.per_minute - self._used, 0.0)

    def seconds_into_window(self) -> float:
        """Real seconds since the current window began (benchmarks count requests in the
        sandbox's own minutes with it)."""
        with self._lock:
            now = self.clock.monotonic()
            self._roll(now)
            return now - self._window_start

    def refusal(self, retry_after: float) -> Decision:
        """What a forced 429 (a storm fault) reports."""
        limit = self.per_minute or 1_000_000
        return Decision(False, limit, 0, retry_after)

    def reset(self) -> None:
        with self._lock:
            self._window_start = self.clock.monotonic()
            self._used = 0
            self._writes.clear()
