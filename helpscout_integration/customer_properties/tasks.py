"""The background task that pushes one user's customer properties.

Takes the user's primary key (task arguments must serialise); a user deleted before the
task runs is skipped. Returns the result as a dict so task backends can store it.
"""

from __future__ import annotations

from dataclasses import asdict

from django.contrib.auth import get_user_model

from ..tasks_compat import task
from .push import push_properties_now


@task()
def push_customer_properties_task(user_pk) -> dict:
    user = get_user_model()._default_manager.filter(pk=user_pk).first()
    if user is None:
        return {"user_pk": user_pk, "error": "no such user"}
    return asdict(push_properties_now(user))
