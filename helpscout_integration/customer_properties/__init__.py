"""Customer properties: the product's facts about a user, shown to agents in Help Scout.

`push_customer_properties(user)` queues a push (a task on `HELPSCOUT["TASK_BACKEND"]`);
`push_properties_now(user)` does it in the current process and returns a `PushResult`.
"""

from __future__ import annotations

from ..conf import get_settings
from .push import PushResult, push_properties_now

__all__ = ["PushResult", "push_customer_properties", "push_properties_now"]


def push_customer_properties(user):
    """Queue a push of `user`'s properties; returns the task backend's result handle."""
    from .tasks import push_customer_properties_task

    pk = user.pk if isinstance(user.pk, int) else str(user.pk)  # task arguments are JSON
    return push_customer_properties_task.using(backend=get_settings().TASK_BACKEND).enqueue(pk)
