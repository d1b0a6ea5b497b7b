"""Pushing every account: users grouped by their account, each account pushed once.

One client (one rate limiter and write pacer: requests wait for their turn instead of
drawing 429s) and one `OrganizationPusher` (one read of the property definitions and of
the organization list) serve the whole run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from .context import account_key, account_of
from .push import OrganizationPusher, OrganizationPushResult


def accounts_of(users: Iterable[Any]) -> list[tuple[Any, list[Any]]]:
    """(account, its users) for every user that has an account, in first-seen order."""
    grouped: dict[tuple[int, str], tuple[Any, list[Any]]] = {}
    for user in users:
        account = account_of(user)
        if account is None:
            continue
        kind, pk = account_key(account)
        grouped.setdefault((kind.pk, pk), (account, []))[1].append(user)
    return list(grouped.values())


def push_accounts(
    accounts: list[tuple[Any, list[Any]]],
    *,
    client: Any,
    dry_run: bool = False,
    on_result: Callable[[OrganizationPushResult], None] | None = None,
) -> list[OrganizationPushResult]:
    pusher = OrganizationPusher(client, dry_run=dry_run)
    results = []
    for account, users in accounts:
        result = pusher.push(account, users)
        results.append(result)
        if on_result is not None:
            on_result(result)
    return results
