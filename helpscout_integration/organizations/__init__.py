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
from .now import push_organization_now
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
