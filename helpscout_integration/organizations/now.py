"""Push one user's account as an organization in this process (the task's body too).

A module of its own so that `tasks` and the package's `__init__` both import it without
an import circle between them.
"""

from __future__ import annotations

from typing import Any

from .push import OrganizationPusher, OrganizationPushResult


def push_organization_now(
    user: Any, *, client: Any = None, dry_run: bool = False
) -> OrganizationPushResult | None:
    """Push `user`'s account now (None when the user has no account)."""
    from .context import account_of

    account = account_of(user)
    if account is None:
        return None
    own_client = client is None
    if own_client:
        from ..client import HelpScoutClient

        client = HelpScoutClient.from_settings()
    try:
        return OrganizationPusher(client, dry_run=dry_run).push(account, [user])
    finally:
        if own_client:
            client.close()
