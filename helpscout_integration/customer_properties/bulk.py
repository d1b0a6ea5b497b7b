"""Bulk pushes of customer properties, resumable through a `SyncState` cursor.

One client (so one shared rate limiter: requests wait for their turn instead of drawing
429s) and one fetch of the property definitions serve the whole run. After each user the
cursor (`SyncState` resource `customer_properties`, `cursor["last_user_pk"]`) moves on,
so an interrupted run resumes after the last user it finished.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from ..models import SyncState
from .push import PushResult, fetch_definitions, push_properties_now

RESOURCE = "customer_properties"


def cursor_state() -> SyncState:
    state, _ = SyncState.objects.get_or_create(resource=RESOURCE, mailbox_id=0)
    return state


def resume_after() -> Any:
    """The pk of the last user a previous `--all` run finished, or None."""
    state = SyncState.objects.filter(resource=RESOURCE, mailbox_id=0).first()
    return (state.cursor or {}).get("last_user_pk") if state else None


def push_users(
    users: Iterable,
    *,
    client,
    track_cursor: bool = False,
    on_result: Callable[[PushResult], None] | None = None,
) -> list[PushResult]:
    """Push each user in order; returns every result (never raises for one user)."""
    definitions = fetch_definitions(client)
    state = cursor_state() if track_cursor else None
    results = []
    for user in users:
        result = push_properties_now(user, client=client, definitions=definitions)
        results.append(result)
        if state is not None:
            SyncState.objects.filter(pk=state.pk).update(cursor={"last_user_pk": user.pk})
        if on_result is not None:
            on_result(result)
    return results


def finish_run(results: list[PushResult]) -> None:
    """A complete `--all` run: clear the cursor and keep the run's counts."""
    from django.utils import timezone

    SyncState.objects.filter(resource=RESOURCE, mailbox_id=0).update(
        cursor={},
        last_full_sync_at=timezone.now(),
        last_run_stats={
            "users": len(results),
            "ok": sum(r.ok for r in results),
            "invalid": sum(bool(r.invalid) for r in results),
            "failed": sum(bool(r.error) for r in results),
        },
    )
