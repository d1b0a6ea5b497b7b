"""Mailbox API 2.0 routes: HAL lists with Help Scout's paging, creates (201, empty body,
`Location` + `Resource-ID`), updates (204) and validation errors (400 VndError).

Handlers turn HTTP into `Store` calls and `shapes` output; one module per resource group.
"""

from . import (  # noqa: F401 (register routes)
    attachments,
    conversations,
    customer_delete,
    customer_entries,
    customers,
    directory,
    organizations,
    ratings,
    saved_replies,
    scheduling,
    teams,
    user_status,
    webhooks,
    workflows,
)
from .base import CREATE_THREAD_TYPES, router

customer_delete.register(router)  # Help Scout's GDPR delete, in a module of its own

__all__ = ["CREATE_THREAD_TYPES", "router"]
