"""The sandbox's sense of time: wall-clock timestamps and a scale for durations.

Timestamps on objects are real UTC wall-clock times. Durations that Help Scout measures in
minutes or days (token lifetime, the rate-limit windows) are divided by `time_scale`, so a
test can live through a "minute" in a second. Never sleeps.

A clock can also be moved forward (`advance`), and a `manual` clock moves only then: time
stands still between requests. A test hands `clock.now` and `clock.sleep` to the client,
so every wait of the client moves the sandbox's time instead of the wall clock's, and a
rate-limit test gives the same answer on a slow machine and a fast one.
"""

from __future__ import annotations

import math
import threading
import time
from datetime import UTC, datetime


class Clock:
    """Real time for timestamps, scaled time for Help Scout's durations."""

    def __init__(self, time_scale: float = 1.0, *, manual: bool = False) -> None:
        if not time_scale or time_scale <= 0:
            raise ValueError("time_scale must be a positive number")
        self.time_scale = float(time_scale)
        self.manual = manual
        self._lock = threading.Lock()
        self._offset = 0.0
        # A manual clock starts at the wall clock's present and then stands still.
        self._wall_start = time.time()
        self._mono_start = time.monotonic()

    def now(self) -> float:
        """Epoch seconds (what objects' timestamps show): the wall clock, plus every
        `advance`; a manual clock shows only its start plus the advances."""
        with self._lock:
            base = self._wall_start if self.manual else time.time()
            return base + self._offset

    def monotonic(self) -> float:
        with self._lock:
            base = self._mono_start if self.manual else time.monotonic()
            return base + self._offset

    def advance(self, seconds: float) -> None:
        """Move time forward by `seconds` real seconds (negative values are refused)."""
        if seconds < 0:
            raise ValueError("a clock only moves forward")
        with self._lock:
            self._offset += seconds

    def sleep(self, seconds: float) -> None:
        """A `sleep` for clients of this sandbox: moves the clock, never waits."""
        self.advance(max(seconds, 0.0))

    def real_seconds(self, sandbox_seconds: float) -> float:
        """How long `sandbox_seconds` of Help Scout time last in real time."""
        return sandbox_seconds / self.time_scale


def iso(timestamp: float | None) -> str | None:
    """ISO 8601 UTC with a `Z`, whole seconds, as Help Scout writes timestamps."""
    if timestamp is None:
        return None
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(timestamp))


def parse_iso(text: str) -> float:
    """Epoch seconds from an ISO 8601 date or date-time (naive values are UTC).

    Raises ValueError for anything else.
    """
    if not isinstance(text, str) or not text.strip():
        raise ValueError("empty date")
    value = datetime.fromisoformat(text.strip().replace(" ", "+"))
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.timestamp()


def whole_seconds(timestamp: float) -> int:
    """The second a timestamp falls in (Help Scout compares times at this granularity)."""
    return math.floor(timestamp)
