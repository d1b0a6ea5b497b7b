"""Proactive rate limiting shared by every process through the Django cache.

Help Scout's limit is per account and per minute, and a write (POST, PUT, PATCH, DELETE)
costs 2. This limiter counts request costs in fixed windows of `window` seconds (60 in
production, less for scaled-clock benchmarks) under one cache key per window, so all
processes sharing the cache stay under the budget together. It only ever waits, through
the injected `sleep`; it never sends or fails a request.

Help Scout does not say when its minute starts, and a window of ours that straddles two of
Help Scout's wastes budget: we would count requests Help Scout already forgot and wait for
nothing. So the limiter learns Help Scout's phase (shared in the cache) from what it is
told: a 429's Retry-After says exactly when Help Scout's minute ends, and a jump up in
`X-RateLimit-Remaining-Minute` says it just began. Windows are then counted from there.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from ..exceptions import RateLimitedError
from .stats import ClientStats

if TYPE_CHECKING:
    from django.core.cache.backends.base import BaseCache

# How long the account's announced budget is remembered (a plan change shows on the next
# answer anyway).
ANNOUNCED_TTL = 24 * 3600
# Without a known phase, "0 remaining" waits at most this fraction of a window before asking.
PROBE_FRACTION = 12


class RateLimiter:
    """A fixed-window counter (`cache.add` + `cache.incr`, atomic on Redis/Memcached).

    Fixed windows can let up to twice the budget through across a window boundary in the
    worst case; Help Scout's 429 (handled by the transport) is the backstop for that and
    for other apps spending the same account's budget.
    """

    def __init__(
        self,
        *,
        cache: BaseCache,
        key: str,
        limit: int,
        window: float,
        clock: Callable[[], float],
        sleep: Callable[[float], Any],
        stats: ClientStats,
        max_wait: float | None = None,
    ) -> None:
        if limit < 1:
            raise ValueError("rate_limit_per_minute must be at least 1")
        if window <= 0:
            raise ValueError("rate_limit_window must be positive")
        self.configured_limit = limit
        self.limit = limit
        self.window = window
        self._cache = cache
        self._key = key
        self._announced_key = key + ":announced"
        self._pause_key = key + ":pause"
        self._phase_key = key + ":phase"
        self._remaining_key = key + ":remaining"
        self._clock = clock
        self._sleep = sleep
        self._stats = stats
        self._ttl = max(1, math.ceil(window * 2))
        self.max_wait = max_wait

    def acquire(self, cost: int) -> float:
        """Block until `cost` units fit in the current window; return the seconds waited."""
        self._follow_announced()
        cost = min(cost, self.limit)  # a write must fit even in a tiny test budget
        waited = 0.0
        while True:
            now = self._clock()
            paused_until = self._cache.get(self._pause_key)
            if paused_until and paused_until > now:
                waited += self._wait(paused_until - now)
                continue
            key, ends = self._window(now)
            if self._incr(key, cost) <= self.limit:
                return waited
            self._decr(key, cost)  # not spent: give the units back
            waited += self._wait(ends - now)

    def pause(self, seconds: float) -> None:
        """Make every process wait `seconds` (Help Scout said so: 429 or nothing remaining)."""
        if seconds <= 0:
            return
        until = self._clock() + seconds
        current = self._cache.get(self._pause_key)
        if not current or current < until:
            self._cache.set(self._pause_key, until, max(1, math.ceil(seconds) + 1))

    def observe(self, headers: Mapping[str, str]) -> None:
        """Learn from Help Scout's rate-limit headers after each answer.

        The account's budget is also spent by other apps, and Help Scout's minute need not
        line up with ours: `X-RateLimit-Remaining-Minute` raises our count to what Help
        Scout has seen, and 0 makes every process wait for the end of our window (Help
        Scout does not say when its minute resets; if that guess is short, the 429 it
        earns says exactly how long). `X-RateLimit-Limit-Minute` (200 or 400 by plan) is
        the account's budget: every process sharing the cache keeps to it from the next
        request on, never above the configured limit.
        """
        limit = _header_int(headers, "X-RateLimit-Limit-Minute")
        if limit is not None and limit > 0:
            if limit != self._cache.get(self._announced_key):
                self._cache.set(self._announced_key, limit, ANNOUNCED_TTL)
            self.limit = min(self.configured_limit, limit)
        remaining = _header_int(headers, "X-RateLimit-Remaining-Minute")
        if remaining is None:
            return
        now = self._clock()
        self._learn_start(remaining, now)
        key, ends = self._window(now)
        if remaining <= 0:
            if self._cache.get(self._phase_key) is None:
                # Help Scout's minute may end any moment: wait a little and let the next
                # answer (a 429's Retry-After, or a fresh budget) tell us where it ends.
                ends = min(ends, now + self.window / PROBE_FRACTION)
            self.pause(ends - now)
            return
        seen = self.limit - remaining
        counted = self._cache.get(key) or 0
        if seen > counted:
            self._incr(key, seen - counted)

    def _follow_announced(self) -> None:
        """Keep to the budget another process heard from Help Scout (a 200/min plan under
        the default of 400 must not cost each new client its first 429)."""
        announced = self._cache.get(self._announced_key)
        if announced:
            self.limit = min(self.configured_limit, int(announced))

    def learn_reset(self, retry_after: float) -> None:
        """A 429 said Help Scout's minute ends in `retry_after` seconds: count from there."""
        self._set_phase(self._clock() + retry_after)

    def _learn_start(self, remaining: int, now: float) -> None:
        """A big jump up in Help Scout's remaining count means its minute just turned over."""
        previous = self._cache.get(self._remaining_key)
        self._cache.set(self._remaining_key, remaining, self._ttl)
        if previous is not None and remaining - previous >= max(2, self.limit // 4):
            # Starting ours a little after Help Scout's only ever makes us wait longer.
            self._set_phase(now)

    def _set_phase(self, window_start: float) -> None:
        self._cache.set(self._phase_key, window_start % self.window, None)

    def _window(self, now: float) -> tuple[str, float]:
        """The cache key of the window holding `now`, and when that window ends."""
        phase = self._cache.get(self._phase_key) or 0.0
        index = math.floor((now - phase) / self.window)
        # The phase is part of the key: a re-aligned window starts from a fresh count.
        return f"{self._key}:{round(phase * 1000)}:{index}", phase + (index + 1) * self.window

    def _wait(self, seconds: float) -> float:
        seconds = max(seconds, 0.001)  # always progress, even at a window edge
        if self.max_wait is not None and seconds > self.max_wait:
            raise RateLimitedError(
                f"Help Scout's rate limit budget is spent for the next {seconds:.1f} s "
                f"(more than the {self.max_wait:g} s this client may wait).",
                retry_after=seconds,
            )
        self._stats.record_rate_limit_wait(seconds)
        self._sleep(seconds)
        return seconds

    def _incr(self, key: str, cost: int) -> int:
        self._cache.add(key, 0, self._ttl)
        try:
            return self._cache.incr(key, cost)
        except ValueError:  # expired between add and incr
            self._cache.add(key, cost, self._ttl)
            return cost

    def _decr(self, key: str, cost: int) -> None:
        try:
            self._cache.decr(key, cost)
        except ValueError:
            pass


def minute_budget_spent(headers: Mapping[str, str]) -> bool:
    """Whether a 429 refused for the minute's budget (not for the write burst limit):
    true unless `X-RateLimit-Remaining-Minute` says budget is left."""
    remaining = _header_int(headers, "X-RateLimit-Remaining-Minute")
    return remaining is None or remaining <= 0


def _header_int(headers: Mapping[str, str], name: str) -> int | None:
    try:
        return int(headers[name])
    except (KeyError, ValueError):
        return None
