"""Compare the mirror with Help Scout's stand-in, both sides reduced to plain values.

"What Help Scout has" is read from the emulator's own records (the sandbox's store, or
the fake API's dicts), never through the client and `payloads/` parser the sync uses: a
parser bug must make the two sides differ, not pass on both.
"""

from helpscout_integration.models import (
    Agent,
    Conversation,
    Customer,
    Mailbox,
    Organization,
    Tag,
    Team,
)
from helpscout_integration.sandbox import Sandbox

from .fake_api import FakeAPI


def remote_state(source):
    """Help Scout's side: a `Sandbox` or a `FakeAPI`, read from its own records."""
    if isinstance(source, Sandbox):
        return _sandbox_state(source)
    if isinstance(source, FakeAPI):
        return _fake_api_state(source)
    raise TypeError(f"remote_state reads a Sandbox or a FakeAPI, not {type(source).__name__}")


def _sandbox_state(sandbox):
    store = sandbox.store
    with store.lock:
        conversations = {
            c.id: (
                c.subject,
                c.status,
                c.mailbox_id,
                c.customer_id,
                ("team", c.assignee_id) if c.assignee_id in store.teams else c.assignee_id,
                sorted(c.tag_ids),
                sorted(t.id for t in store.threads_of(c)),
            )
            for c in store.conversations.values()
        }
        return {
            "conversations": conversations,
            # The mirror keeps emails lowercased (Help Scout matches them without case).
            "customers": {c.id: c.email.lower() for c in store.customers.values()},
            "tags": {t.id: t.name for t in store.tags.values()},
            "mailboxes": {m.id: m.name for m in store.mailboxes.values()},
            "agents": {u.id: u.email.lower() for u in store.users.values()},
            "organizations": {o.id: o.name for o in store.organizations.values()},
            "organization_of": {
                c.id: c.organization_id for c in store.customers.values() if c.organization_id
            },
            "teams": {t.id: (t.name, sorted(t.member_ids)) for t in store.teams.values()},
        }


def _fake_api_state(api):
    conversations = {
        cid: (
            conv["subject"],
            conv["status"],
            conv["mailboxId"],
            conv["primaryCustomer"]["id"],
            (conv.get("assignee") or {}).get("id"),
            sorted(tag["id"] for tag in conv["tags"]),
            sorted(thread["id"] for thread in conv["_threads"]),
        )
        for cid, conv in api.conversations.items()
    }
    return {
        "conversations": conversations,
        "customers": {
            cid: customer["_embedded"]["emails"][0]["value"].lower()
            for cid, customer in api.customers.items()
        },
        "tags": {tid: tag["name"] for tid, tag in api.tags.items()},
        "mailboxes": {mid: mailbox["name"] for mid, mailbox in api.mailboxes.items()},
        "agents": {uid: user["email"].lower() for uid, user in api.users.items()},
        "organizations": {oid: org["name"] for oid, org in api.organizations.items()},
        "organization_of": {},
        "teams": {
            tid: (team["name"], sorted(team.get("_members", ()))) for tid, team in api.teams.items()
        },
    }


def local_state():
    conversations = {}
    # Live conversations: not deleted, not merged into another (Help Scout lists neither).
    live = Conversation.objects.filter(
        is_deleted=False, is_placeholder=False, merged_into__isnull=True
    )
    for conv in live.prefetch_related("tags", "threads"):
        conversations[conv.id] = (
            conv.subject,
            conv.status,
            conv.mailbox_id,
            conv.customer_id,
            ("team", conv.assignee_team_id) if conv.assignee_team_id else conv.assignee_id,
            sorted(t.id for t in conv.tags.all()),
            sorted(t.id for t in conv.threads.all()),
        )
    real = {"is_placeholder": False}
    return {
        "conversations": conversations,
        "customers": dict(Customer.objects.filter(**real).values_list("id", "email")),
        "tags": dict(Tag.objects.filter(**real).values_list("id", "name")),
        "mailboxes": dict(Mailbox.objects.filter(**real).values_list("id", "name")),
        "agents": dict(Agent.objects.filter(**real).values_list("id", "email")),
        "organizations": dict(Organization.objects.filter(**real).values_list("id", "name")),
        "organization_of": dict(
            Customer.objects.filter(organization__isnull=False).values_list("id", "organization_id")
        ),
        "teams": {
            team.id: (team.name, sorted(m.id for m in team.members.all()))
            for team in Team.objects.filter(**real).prefetch_related("members")
        },
    }
