"""Faults to inject, switchable at runtime: from Python (`sandbox.faults`) or over HTTP
(`POST /sandbox/faults`).

Each fault applies to the next N requests whose path starts with its prefix (default: all
API requests; the `/sandbox/` control endpoints are never affected). This module only
decides; the server carries the fault out.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass
class _Fault:
    kind: str  # fail, slow, drop, storm
    remaining: int
    path: str | None = None
    status: int = 500
    seconds: float = 0.0
    after_handling: bool = False


@dataclass(frozen=True)
class Planned:
    """What to do to one request (every attribute may be unset)."""

    drop: bool = False
    drop_after_handling: bool = False
    delay: float = 0.0
    fail_status: int | None = None
    storm_retry_after: float | None = None


class Faults:
    def __init__(self, on_revoke=None, on_expire=None) -> None:
        self._lock = threading.Lock()
        self._faults: list[_Fault] = []
        self._on_revoke = on_revoke
        self._on_expire = on_expire

    # -- switches ------------------------------------------------------------------------------

    def fail_next(self, n: int = 1, status: int = 500, path: str | None = None) -> None:
        """Answer the next `n` matching requests with `status` (a 5xx or any error)."""
        if not 400 <= int(status) <= 599:
            raise ValueError("status must be an HTTP error status (400-599)")
        self._add(_Fault("fail", int(n), path, status=int(status)))

    def slow_next(self, n: int = 1, seconds: float = 1.0, path: str | None = None) -> None:
        """Hold the next `n` matching requests for `seconds` before answering."""
        self._add(_Fault("slow", int(n), path, seconds=float(seconds)))

    def drop_next(self, n: int = 1, path: str | None = None, after_handling: bool = False) -> None:
        """Close the connection of the next `n` matching requests without any answer;
        `after_handling=True` applies the request first (the answer is what gets lost)."""
        self._add(_Fault("drop", int(n), path, after_handling=bool(after_handling)))

    def rate_limit_storm(
        self, n: int = 1, retry_after: float = 1.0, path: str | None = None
    ) -> None:
        """Answer the next `n` matching requests 429 with `X-RateLimit-Retry-After`."""
        self._add(_Fault("storm", int(n), path, seconds=float(retry_after)))

    def revoke_tokens(self) -> None:
        """Revoke every access token issued so far (requests with them get 401)."""
        if self._on_revoke is not None:
            self._on_revoke()

    def expire_tokens(self) -> None:
        """Make every access token issued so far expire now (401 "Access token expired")."""
        if self._on_expire is not None:
            self._on_expire()

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    def _add(self, fault: _Fault) -> None:
        if fault.remaining < 1:
            raise ValueError("n must be at least 1")
        with self._lock:
            self._faults.append(fault)

    # -- used by the server ---------------------------------------------------------------------

    def pending(self) -> list[dict[str, Any]]:
        with self._lock:
            return [dict(vars(f)) for f in self._faults]

    def plan(self, path: str) -> Planned:
        """Consume the faults that apply to this Mailbox API request (one of each kind)."""
        return self._plan(path, explicit_only=False)

    def plan_explicit(self, path: str) -> Planned:
        """Faults for the token endpoint and the Docs API: only those aimed at their path."""
        return self._plan(path, explicit_only=True)

    def _plan(self, path: str, explicit_only: bool) -> Planned:
        taken: dict[str, _Fault] = {}
        with self._lock:
            for fault in self._faults:
                if fault.kind in taken or fault.remaining <= 0:
                    continue
                if explicit_only and not fault.path:
                    continue
                if fault.path and not path.startswith(fault.path):
                    continue
                fault.remaining -= 1
                taken[fault.kind] = fault
            self._faults = [f for f in self._faults if f.remaining > 0]
        return Planned(
            drop="drop" in taken and not taken["drop"].after_handling,
            drop_after_handling="drop" in taken and taken["drop"].after_handling,
            delay=taken["slow"].seconds if "slow" in taken else 0.0,
            fail_status=taken["fail"].status if "fail" in taken else None,
            storm_retry_after=taken["storm"].seconds if "storm" in taken else None,
        )

    def apply_command(self, command: dict[str, Any]) -> None:
        """Run a JSON command: {"fault": "fail_next", "n": 2, "status": 503, "path": ...}."""
        if not isinstance(command, dict):
            raise ValueError("expected a JSON object")
        action = command.get("fault") or command.get("action")
        arguments = {k: v for k, v in command.items() if k not in ("fault", "action")}
        actions: dict[str, Callable[..., object]] = {
            "fail_next": self.fail_next,
            "slow_next": self.slow_next,
            "drop_next": self.drop_next,
            "rate_limit_storm": self.rate_limit_storm,
            "revoke_tokens": self.revoke_tokens,
            "expire_tokens": self.expire_tokens,
            "clear": self.clear,
        }
        if action not in actions:
            raise ValueError(f"unknown fault {action!r}; one of {', '.join(sorted(actions))}")
        try:
            actions[action](**arguments)
        except TypeError as error:
            raise ValueError(f"bad arguments for {action}: {error}") from None
