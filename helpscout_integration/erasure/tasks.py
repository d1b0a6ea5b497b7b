"""The background task that erases Help Scout customers (for `ERASE_ON_USER_DELETE`).

Takes customer ids (or, when the mirror had none for the user, their addresses: task
arguments must serialise, and the task backend keeps them while the task waits).
Returns erasure record ids and states, never an address, so backends may store results.
"""

from __future__ import annotations

from ..tasks_compat import task
from .service import erase_customer


@task()
def erase_customers_task(targets: list, requested_by: str = "") -> list[dict]:
    done = []
    for target in targets:
        for record in erase_customer(target, requested_by=requested_by or "task"):
            done.append({"erasure": record.pk, "status": record.status})
    return done
