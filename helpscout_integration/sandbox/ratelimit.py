"""Help Scout's per-account rate limit: a budget per (scaled) minute shared by all tokens.

Fixed one-minute windows; writes (POST, PUT, PATCH, DELETE) cost 2. Answers what the
headers should say and, once the budget is spent, how long to wait (real seconds). Keeps
no per-token state: every token of the account draws on one budget.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass

from .clock import Clock

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


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
    """`per_minute=None` turns limiting off (headers still show a generous budget)."""

    def __init__(self, per_minute: int | None, clock: Clock) -> None:
        if per_minute is not None and per_minute < 1:
            raise ValueError("rate_limit_per_minute must be at least 1, or None for no limit")
        self.per_minute = per_minute
        self.clock = clock
        self._lock = threading.Lock()
        self._window_start = clock.monotonic()
        self._used = 0

    @property
    def window_seconds(self) -> float:
        return self.clock.real_seconds(60.0)

    def _roll(self, now: float) -> None:
        if now - self._window_start >= self.window_seconds:
            elapsed = int((now - self._window_start) // self.window_seconds)
            self._window_start += elapsed * self.window_seconds
            self._used = 0

    def charge(self, method: str) -> Decision:
        """Take the cost of one request from the budget, or refuse it."""
        cost = 2 if method.upper() in WRITE_METHODS else 1
        with self._lock:
            if self.per_minute is None:
                return Decision(True, 1_000_000, 1_000_000, 0.0)
            now = self.clock.monotonic()
            self._roll(now)
            if self._used + cost > self.per_minute:
                wait = self._window_start + self.window_seconds - now
                return Decision(False, self.per_minute, 0, max(wait, 0.001))
            self._used += cost
            return Decision(True, self.per_minute, self.per_minute - self._used, 0.0)

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
