"""Erase a person: at Help Scout, in the mirror, in stored webhook deliveries, for good.

`erase_customer(email_or_id, *, requested_by=None)` is the entry point (also behind
`manage.py helpscout_erase_customer` and the admin's erase action). The modules: the
Help Scout call (`helpscout`), the mirror's steps (`local`), stored deliveries
(`webhook_log`), the keyed address hash (`hashing`), the ledger the writer consults so
nothing comes back (`ledger`), retention (`retention`) and the user-deletion hook
(`receivers`, `tasks`). See docs/privacy.md. Nothing here logs an address or a name.
"""

from .service import (
    ErasureInterrupted,
    ErasurePlan,
    complete_by_webhook,
    erase_customer,
    plan_erasure,
)

__all__ = [
    "ErasureInterrupted",
    "ErasurePlan",
    "complete_by_webhook",
    "erase_customer",
    "plan_erasure",
]
