"""A minimal in-memory stand-in for the client, for engine unit tests that need exact
control over what changes between two page requests (pagination drift, crashes).

End-to-end behaviour is tested against the sandbox (test_engine_sandbox.py); this fake
only implements what the engine calls: `.pages()`, `.list()`, `.get()` and `stats`.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from helpscout_integration.exceptions import NotFoundError

from .listing import newest_first, wanted_statuses


def iso(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class Page:
    items: list
    number: int
    total_pages: int
    total_elements: int


@dataclass
class Stats:
    requests: int = 0
    rate_limit_waits: int = 0
    rate_limit_wait_seconds: float = 0.0
    retries: int = 0


class Listing:
    def __init__(self, owner, store, key, size):
        self.owner, self.store, self.key, self.size = owner, store, key, size
        self.requests = []

    def _filtered(self, params):
        rows = list(self.store.values())
        if self.key == "userUpdatedAt":  # conversations
            statuses = wanted_statuses(params.get("status"))
            rows = [r for r in rows if r["status"] in statuses]
        if params.get("mailbox"):
            rows = [r for r in rows if r.get("mailboxId") == params["mailbox"]]
        if params.get("modifiedSince"):
            since = datetime.fromisoformat(params["modifiedSince"])
            rows = [r for r in rows if datetime.fromisoformat(r[self.key]) >= since]
        if params.get("sortField") == "modifiedAt":
            rows.sort(key=lambda r: (r[self.key], r["id"]), reverse=newest_first(params))
        else:
            rows.sort(key=lambda r: r["id"])
        return rows

    def pages(self, start_page=1, **params):
        number = start_page
        while True:
            self.owner.stats.requests += 1
            self.requests.append((number, dict(params)))
            rows = self._filtered(params)
            total_pages = max(1, -(-len(rows) // self.size))
            chunk = rows[(number - 1) * self.size : number * self.size]
            yield Page([dict(r) for r in chunk], number, total_pages, len(rows))
            self.owner.after_page()
            if number >= total_pages:
                return
            number += 1

    def list(self, **params):
        for page in self.pages(**params):
            yield from page.items

    def get(self, object_id, **params):
        self.owner.stats.requests += 1
        if object_id not in self.store:
            raise NotFoundError("not found", status_code=404)
        return dict(self.store[object_id])


class Teams(Listing):
    def members(self, team_id, **params):
        self.owner.stats.requests += 1
        return []


@dataclass
class FakeHelpScout:
    conversations_store: dict = field(default_factory=dict)
    stats: Stats = field(default_factory=Stats)
    hooks: list = field(default_factory=list)
    clock: datetime = field(default_factory=lambda: datetime.now(UTC) - timedelta(hours=2))

    def __post_init__(self):
        self.conversations = Listing(self, self.conversations_store, "userUpdatedAt", 25)
        self.customers = Listing(self, {}, "updatedAt", 50)
        self.mailboxes = Listing(self, {1: {"id": 1, "name": "Support"}}, "id", 50)
        self.users = Listing(self, {}, "updatedAt", 50)
        self.tags = Listing(self, {}, "updatedAt", 50)
        self.teams = Teams(self, {}, "updatedAt", 50)
        self.organizations = Listing(self, {}, "id", 50)

    def tick(self):
        """Help Scout's clock: seconds resolution, never behind real time, always moving."""
        self.clock = max(self.clock + timedelta(seconds=7), datetime.now(UTC))
        return iso(self.clock)

    def add(self, count, mailbox=1):
        for _ in range(count):
            cid = len(self.conversations_store) + 1
            self.conversations_store[cid] = {
                "id": cid,
                "number": cid,
                "status": "active",
                "subject": f"c{cid}",
                "mailboxId": mailbox,
                "userUpdatedAt": self.tick(),
                "_embedded": {"threads": [{"id": cid * 10, "type": "customer", "body": "hi"}]},
            }

    def touch(self, cid, **changes):
        self.conversations_store[cid].update(changes, userUpdatedAt=self.tick())

    def after_page(self):
        for hook in list(self.hooks):
            hook()
