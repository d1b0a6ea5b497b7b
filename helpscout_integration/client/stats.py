"""Counters kept by one `HelpScoutClient`, for sync summaries and benchmarks.

Plain numbers only: never a URL, a token or a payload.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass
class ClientStats:
    """What one client did so far. `requests` counts every HTTP attempt, retries included."""

    requests: int = 0
    writes: int = 0
    retries: int = 0
    rate_limit_waits: int = 0
    rate_limit_wait_seconds: float = 0.0
    token_requests: int = 0
    token_refreshes: int = 0

    def as_dict(self) -> dict[str, float]:
        return asdict(self)

    def record_rate_limit_wait(self, seconds: float) -> None:
        self.rate_limit_waits += 1
        self.rate_limit_wait_seconds += max(0.0, seconds)
