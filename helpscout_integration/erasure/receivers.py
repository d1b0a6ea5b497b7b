"""`ERASE_ON_USER_DELETE`: deleting a product user erases their Help Scout customer.

Off by default. When on, the user's customers are found before the user row goes (by
the same rule the end-user API uses, `END_USER_OWNERSHIP`: their email by Help Scout's
rule by default) and `erase_customers_task` is enqueued on the task backend once the
deletion commits; a rolled-back deletion erases nothing. Never calls Help Scout here.
"""

from __future__ import annotations

import logging
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models.signals import pre_delete
from django.dispatch import receiver

from ..conf import get_settings

logger = logging.getLogger(__name__)


def _targets(user) -> list:
    from ..api.ownership import customer_ids_for, ownership_for

    ids = customer_ids_for(user)
    return list(ids) if ids else list(ownership_for(user).emails)


def _enqueue(targets: list, requested_by: str) -> None:
    from .tasks import erase_customers_task

    erase_customers_task.using(backend=get_settings().TASK_BACKEND).enqueue(targets, requested_by)


@receiver(pre_delete, sender=settings.AUTH_USER_MODEL, dispatch_uid="hs_erase_on_user_delete")
def erase_on_user_delete(sender, instance, **kwargs) -> None:
    if not get_settings().ERASE_ON_USER_DELETE:
        return
    targets = _targets(instance)
    if not targets:
        return
    requested_by = f"ERASE_ON_USER_DELETE (user {instance.pk})"
    logger.info(
        "Erasure of %d Help Scout customer(s) queued for deleted user %s.",
        len(targets),
        instance.pk,
    )
    transaction.on_commit(partial(_enqueue, targets, requested_by))
