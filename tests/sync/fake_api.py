"""Help Scout's Mailbox API on the wire, in memory, for tests of the real client + engine.

An `httpx.MockTransport` handler: OAuth2 token endpoint, HAL list pages (25 conversations
or 50 other items a page, `modifiedSince`, `sortField=modifiedAt`, `mailbox`, `embed`),
single gets with 404s, and faults (429 storms with `X-RateLimit-Retry-After`, 5xx,
revoked tokens). The sandbox (helpscout_integration.sandbox) is the full emulator; this
covers the sync tests' needs with exact control and no server.
"""

import json
import secrets
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlparse

import httpx

from .listing import newest_first, wanted_statuses

API = "https://api.example.test/v2"


def iso(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


class FakeAPI:
    def __init__(self):
        self.clock = datetime.now(UTC) - timedelta(hours=3)
        self.mailboxes = {
            1: {"id": 1, "name": "Support", "email": "support@example.com"},
            2: {"id": 2, "name": "Sales", "email": "sales@example.com"},
        }
        self.users = {
            7: {"id": 7, "firstName": "Ana", "lastName": "Agent", "email": "ana@example.com"}
        }
        self.tags = {}
        self.teams = {}  # id -> team; members under "_members" (user ids)
        self.organizations = {}
        self.customers = {}
        self.conversations = {}
        self.tokens = set()
        self.faults = []  # statuses answered to the next API requests, in order
        self.log = []  # (method, path, status)
        self.queries = []  # (path, query parameters) of every request, in order

    # --- changing "Help Scout" ---------------------------------------------------------

    def tick(self):
        self.clock = max(self.clock + timedelta(seconds=5), datetime.now(UTC))
        return iso(self.clock)

    def add_customer(self, email):
        cid = 500 + len(self.customers)
        self.customers[cid] = {
            "id": cid,
            "firstName": "C",
            "lastName": str(cid),
            "updatedAt": self.tick(),
            "_embedded": {"emails": [{"value": email}]},
        }
        return cid

    def add_tag(self, name):
        tid = 900 + len(self.tags)
        self.tags[tid] = {"id": tid, "name": name, "slug": name, "updatedAt": self.tick()}
        return tid

    def add_conversation(self, mailbox=1, tags=(), threads=2):
        cid = 1000 + len(self.conversations) + 1
        customer = self.add_customer(f"c{cid}@example.com")
        self.conversations[cid] = {
            "id": cid,
            "number": cid,
            "status": "active",
            "state": "published",
            "subject": f"Conversation {cid}",
            "mailboxId": mailbox,
            "type": "email",
            "createdAt": self.clock.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "userUpdatedAt": self.tick(),
            "primaryCustomer": {"id": customer},
            "assignee": {"id": 7},
            "tags": [{"id": t, "tag": self.tags[t]["name"]} for t in tags],
            "_threads": [
                {
                    "id": cid * 100 + n,
                    "type": "customer",
                    "body": f"message {n}",
                    "customer": {"id": customer},
                    "createdAt": iso(self.clock),
                }
                for n in range(threads)
            ],
        }
        return cid

    def update(self, cid, **changes):
        conv = self.conversations[cid]
        if "tags" in changes:
            changes["tags"] = [{"id": t, "tag": self.tags[t]["name"]} for t in changes["tags"]]
        if "mailbox" in changes:
            changes["mailboxId"] = changes.pop("mailbox")
        conv.update(changes, userUpdatedAt=self.tick())

    def add_thread(self, cid, text):
        conv = self.conversations[cid]
        conv["_threads"].append(
            {
                "id": cid * 100 + len(conv["_threads"]),
                "type": "note",
                "body": text,
                "createdAt": self.tick(),
            }
        )
        conv["userUpdatedAt"] = iso(self.clock)

    # --- the wire ----------------------------------------------------------------------

    def transport(self):
        return httpx.MockTransport(self.handle)

    def handle(self, request: httpx.Request) -> httpx.Response:
        url = urlparse(str(request.url))
        path = url.path.removeprefix("/v2")
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        response = self._answer(request, path, query)
        self.log.append((request.method, path, response.status_code))
        self.queries.append((path, query))
        return response

    def _answer(self, request, path, query):
        if path == "/oauth2/token":
            token = secrets.token_hex(8)
            self.tokens.add(token)
            return httpx.Response(
                200, json={"access_token": token, "token_type": "bearer", "expires_in": 172800}
            )
        if self.faults:
            status = self.faults.pop(0)
            headers = {"X-RateLimit-Retry-After": "1"} if status == 429 else {}
            return httpx.Response(status, headers=headers, json={"message": "fault"})
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        if token not in self.tokens:
            return httpx.Response(401, json={"message": "token expired"})
        parts = path.strip("/").split("/")
        if parts[0] == "conversations" and len(parts) == 2:
            conv = self.conversations.get(int(parts[1]))
            if conv is None:
                return httpx.Response(404, json={"message": "not found"})
            return httpx.Response(200, json=self._conversation(conv, embed=True))
        if parts[0] == "conversations" and len(parts) == 3:
            threads = self.conversations[int(parts[1])]["_threads"]
            return self._page("threads", threads, query, 50)
        if parts[0] == "teams" and len(parts) == 3:
            members = [self.users[i] for i in self.teams[int(parts[1])].get("_members", ())]
            return self._page("users", members, query, 50)
        if parts[0] == "organizations" and len(parts) == 2:
            org = self.organizations.get(int(parts[1]))
            if org is None:
                return httpx.Response(404, json={"message": "not found"})
            return httpx.Response(200, json=org)
        if parts[0] in ("teams", "organizations"):
            rows = [
                {k: v for k, v in r.items() if not k.startswith("_")}
                for r in getattr(self, parts[0]).values()
            ]
            return self._page(parts[0], rows, query, 50)
        store = {
            "conversations": self.conversations,
            "customers": self.customers,
            "mailboxes": self.mailboxes,
            "users": self.users,
            "tags": self.tags,
        }[parts[0]]
        rows = list(store.values())
        if parts[0] == "conversations":
            statuses = wanted_statuses(query.get("status"))
            rows = [r for r in rows if r["status"] in statuses]
            if query.get("mailbox"):
                rows = [r for r in rows if r["mailboxId"] == int(query["mailbox"])]
            embed = query.get("embed") == "threads"
            rows = [self._conversation(r, embed) for r in rows]
        key = "userUpdatedAt" if parts[0] == "conversations" else "updatedAt"
        if query.get("modifiedSince"):
            rows = [r for r in rows if r.get(key, "") >= query["modifiedSince"]]
        if query.get("sortField") == "modifiedAt":
            rows.sort(key=lambda r: (r.get(key, ""), r["id"]), reverse=newest_first(query))
        else:
            rows.sort(key=lambda r: r["id"])
        return self._page(parts[0], rows, query, 25 if parts[0] == "conversations" else 50)

    @staticmethod
    def _conversation(conv, embed):
        out = {k: v for k, v in conv.items() if k != "_threads"}
        out["threads"] = len(conv["_threads"])
        if embed:
            out["_embedded"] = {"threads": json.loads(json.dumps(conv["_threads"]))}
        return out

    @staticmethod
    def _page(key, rows, query, size):
        number = int(query.get("page", 1))
        total_pages = max(1, -(-len(rows) // size))
        body = {
            "_embedded": {key: rows[(number - 1) * size : number * size]},
            "page": {
                "size": size,
                "totalElements": len(rows),
                "totalPages": total_pages,
                "number": number,
            },
            "_links": {},
        }
        return httpx.Response(200, json=body)
