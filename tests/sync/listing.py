"""What Help Scout's conversation list does with `status` and `sortOrder`, for the fakes.

Both fakes (`fake_api`, `fake_helpscout`) filter and order the way the Mailbox API
documents it: `status` defaults to active; `all` is every status, `open` is active and
pending; `sortOrder` defaults to desc.
"""

STATUSES = ("active", "pending", "closed", "spam")


def wanted_statuses(param: str | None) -> set[str]:
    wanted: set[str] = set()
    for part in (param or "active").split(","):
        part = part.strip()
        if part == "all":
            wanted.update(STATUSES)
        elif part == "open":
            wanted.update(("active", "pending"))
        else:
            wanted.add(part)
    return wanted


def newest_first(params) -> bool:
    return (params.get("sortOrder") or "desc").lower() == "desc"
