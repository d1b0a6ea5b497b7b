"""When a failed request is tried again, and how long to wait first (tenacity policies).

Two layers, each a tenacity `Retrying`:

- transient failures (5xx, timeouts, connection errors) are retried with exponential
  backoff and jitter, only when repeating the request is safe: GET, PUT, DELETE and PATCH
  (Help Scout's PATCH operations are replace/move/remove, which land in the same state when
  applied twice), or any request that provably never left this machine (connect errors);
- 429 answers are retried for every method (Help Scout refused the request, so nothing was
  applied) after `X-RateLimit-Retry-After` seconds, or exponential backoff when absent.

A POST that may have reached Help Scout is never repeated here: the error says so instead.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception,
    retry_if_exception_type,
    stop_after_attempt,
    wait_exponential,
    wait_random,
)
from tenacity.stop import stop_base
from tenacity.wait import wait_base

from ..exceptions import NetworkError, RateLimitedError, ServerError
from .stats import ClientStats

# Safe to repeat after an unknown outcome (see the module docstring for PATCH).
REPEATABLE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "PATCH", "DELETE"})


@dataclass(frozen=True)
class RetrySettings:
    """Bounds and backoff for both layers; seconds throughout."""

    max_retries: int = 3
    max_rate_limit_retries: int = 5
    # Never sleep longer than this for the rate limit (None: as long as Help Scout asks).
    max_rate_limit_wait: float | None = None
    backoff_initial: float = 0.5
    backoff_max: float = 30.0
    backoff_jitter: float = 0.5
    rate_limit_backoff_initial: float = 2.0
    rate_limit_backoff_max: float = 60.0


def is_repeatable(method: str, error: BaseException) -> bool:
    """Whether retrying `method` after `error` cannot apply the request twice."""
    if not isinstance(error, ServerError | NetworkError):
        return False
    if method in REPEATABLE_METHODS:
        return True
    return getattr(error, "may_have_been_applied", True) is False


class wait_retry_after(wait_base):  # noqa: N801 (tenacity's naming)
    """Wait what the 429 asked for; fall back to `fallback` when it did not say."""

    def __init__(self, fallback: wait_base) -> None:
        self.fallback = fallback

    def __call__(self, retry_state: RetryCallState) -> float:
        error = retry_state.outcome.exception() if retry_state.outcome else None
        retry_after = getattr(error, "retry_after", None)
        if retry_after is not None:
            return float(retry_after)
        return self.fallback(retry_state)


class stop_waiting_longer_than(stop_base):  # noqa: N801 (tenacity's naming)
    """Give up instead of sleeping more than `limit` seconds (tenacity computes the wait
    before it asks whether to stop)."""

    def __init__(self, limit: float | None) -> None:
        self.limit = limit

    def __call__(self, retry_state: RetryCallState) -> bool:
        return self.limit is not None and retry_state.upcoming_sleep > self.limit


def backoff(initial: float, maximum: float, jitter: float) -> wait_base:
    """initial, 2x initial, 4x initial... capped at `maximum`, plus up to `jitter` seconds."""
    return wait_exponential(multiplier=initial, max=maximum) + wait_random(0, jitter)


def transient_retrying(
    method: str, settings: RetrySettings, sleep: Callable[[float], Any], stats: ClientStats
) -> Retrying:
    def count(retry_state: RetryCallState) -> None:
        stats.retries += 1

    return Retrying(
        retry=retry_if_exception(lambda error: is_repeatable(method, error)),
        stop=stop_after_attempt(settings.max_retries + 1),
        wait=backoff(settings.backoff_initial, settings.backoff_max, settings.backoff_jitter),
        sleep=sleep,
        before_sleep=count,
        reraise=True,
    )


def rate_limit_retrying(
    settings: RetrySettings,
    sleep: Callable[[float], Any],
    stats: ClientStats,
    on_wait: Callable[[float], None],
) -> Retrying:
    def count(retry_state: RetryCallState) -> None:
        seconds = retry_state.upcoming_sleep
        stats.retries += 1
        stats.record_rate_limit_wait(seconds)
        on_wait(seconds)

    return Retrying(
        retry=retry_if_exception_type(RateLimitedError),
        stop=stop_after_attempt(settings.max_rate_limit_retries + 1)
        | stop_waiting_longer_than(settings.max_rate_limit_wait),
        wait=wait_retry_after(
            backoff(
                settings.rate_limit_backoff_initial,
                settings.rate_limit_backoff_max,
                settings.backoff_jitter,
            )
        ),
        sleep=sleep,
        before_sleep=count,
        reraise=True,
    )
