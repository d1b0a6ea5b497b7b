"""Builders of Help Scout-shaped payloads for the sync tests."""


def conversation(
    cid=1,
    *,
    updated="2024-01-01T10:00:00Z",
    subject="Help",
    status="active",
    mailbox=10,
    customer=100,
    assignee=None,
    tags=(),
    threads=None,
    thread_count=None,
    thread_times=None,
    **extra,
):
    """`threads`: embedded thread ids (None: no `_embedded.threads`); `thread_count`: the
    conversation's `threads` count (default: as many as embedded, as Help Scout sends);
    `thread_times`: createdAt per thread id (default 09:00)."""
    payload = {
        "id": cid,
        "number": cid + 1000,
        "type": "email",
        "status": status,
        "state": "published",
        "subject": subject,
        "mailboxId": mailbox,
        "createdAt": "2024-01-01T09:00:00Z",
        "userUpdatedAt": updated,
        "primaryCustomer": {
            "id": customer,
            "first": "Cus",
            "last": "Tomer",
            "email": f"C{customer}@Example.com",
        },
        "assignee": assignee
        if isinstance(assignee, dict)
        else {"id": assignee, "first": "Ag", "last": "Ent", "email": "agent@example.com"}
        if assignee
        else None,
        "tags": [{"id": tid, "tag": f"tag-{tid}", "color": "#fff"} for tid in tags],
        **extra,
    }
    if threads is not None:
        payload["threads"] = len(threads) if thread_count is None else thread_count
        times = thread_times or {}
        payload["_embedded"] = {
            "threads": [
                {
                    "id": tid,
                    "type": "customer",
                    "status": "active",
                    "state": "published",
                    "body": f"<p>thread {tid}</p>",
                    "customer": {"id": customer},
                    "createdBy": {"id": customer, "type": "customer"},
                    "createdAt": times.get(tid, "2024-01-01T09:00:00Z"),
                }
                for tid in threads
            ]
        }
    return payload
