"""The sandbox's sense of time: wall-clock timestamps and a scale for durations.

Timestamps on objects are real UTC wall-clock times. Durations that Help Scout measures in
minutes or days (token lifetime, the rate-limit window) are divided by `time_scale`, so a
test can live through a "minute" in a second. `advance()` moves the clock forward
without waiting (days of Help Scout time in a test). Never sleeps.
"""

from __future__ import annotations

import math
import time
from datetime import UTC, datetime


class Clock:
    """Real time for timestamps, scaled time for Help Scout's durations."""

    def __init__(self, time_scale: float = 1.0) -> None:
        if not time_scale or time_scale <= 0:
            raise ValueError("time_scale must be a positive number")
        self.time_scale = float(time_scale)
        self._offset = 0.0  # real seconds added by advance()

    def now(self) -> float:
        """Wall-clock epoch seconds (what objects' timestamps show)."""
        return time.time() + self._offset

    def monotonic(self) -> float:
        return time.monotonic() + self._offset

    def advance(self, sandbox_seconds: float) -> None:
        """Jump forward by `sandbox_seconds` of Help Scout time (tokens expire, rate
        windows roll, merge redirects lapse) without waiting."""
        if sandbox_seconds < 0:
            raise ValueError("the sandbox clock only moves forward")
        self._offset += self.real_seconds(sandbox_seconds)

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
