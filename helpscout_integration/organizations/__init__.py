"""Product accounts pushed to Help Scout as Organizations (docs/organizations.md).

`push_organization(user)` queues a push of the user's account (a task on
`HELPSCOUT["TASK_BACKEND"]`), linking the user's Help Scout customer to it; call it when
an account or its membership changes. `push_organization_now(user)` does it in this
process and returns an `OrganizationPushResult`. `manage.py helpscout_push_organizations`
pushes every account.
"""

from __future__ import annotations

from typing import Any

from ..conf import get_settings
from .push import OrganizationPusher, OrganizationPushResult

__all__ = [
    "OrganizationPushResult",
    "OrganizationPusher",
    "push_organization",
    "push_organization_now",
]


def push_organization(user: Any):
    """Queue a push of `user`'s account; returns the task backend's result handle."""
    from .tasks import push_organization_task

    pk = user.pk if isinstance(user.pk, int) else str(user.pk)  # task arguments are JSON
    return push_organization_task.using(backend=get_settings().TASK_BACKEND).enqueue(pk)


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
