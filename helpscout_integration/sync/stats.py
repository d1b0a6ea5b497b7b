"""What a sync run did, per resource and in total, for the command's summary and the task.

Plain counters only: nothing here talks to Help Scout or the database.
"""

from __future__ import annotations

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


@dataclass
class ResourceReport:
    resource: str
    result: UpsertResult = field(default_factory=UpsertResult)
    pages: int = 0
    items: int = 0
    resumed_from_page: int | None = None
    mode: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "resource": self.resource,
            "mode": self.mode,
            "pages": self.pages,
            "items": self.items,
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
