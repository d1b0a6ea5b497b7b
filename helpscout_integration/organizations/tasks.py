"""The background task that pushes one user's account as an organization.

Takes the user's primary key (task arguments must serialise); a user deleted, or left
without an account, before the task runs is skipped. Returns a dict task backends store.
"""

from __future__ import annotations

from dataclasses import asdict

from django.contrib.auth import get_user_model

from ..tasks_compat import task
from .now import push_organization_now


@task()
def push_organization_task(user_pk) -> dict:
    user = get_user_model()._default_manager.filter(pk=user_pk).first()
    if user is None:
        return {"user_pk": user_pk, "error": "no such user"}
    result = push_organization_now(user)
    if result is None:
        return {"user_pk": user_pk, "error": "the user has no account"}
    return asdict(result)
