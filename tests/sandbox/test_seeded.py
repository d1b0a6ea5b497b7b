"""Seeded conversations kept as columns answer exactly what stored records answered.

The seed draws its conversations with `getrandbits` written out (fast), and keeps them as
columns (small); neither may change a single answer. The reference here is the plain
construction the seed used to run: the same `random.Random(name)` stream consumed by
`choice`, `choices`, `randint` and `sample`, building one `Conversation` each.
"""

from __future__ import annotations

import gc
import itertools
import random
from collections import Counter

import pytest

from helpscout_integration.sandbox import Sandbox, seed, shapes
from helpscout_integration.sandbox.records import Conversation
from helpscout_integration.sandbox.seed import BASE_TIME, YEAR

from .conftest import api_client


def _plain_construction(sb: Sandbox, name: str, count: int, mix: seed.StatusMix):
    """The seeded conversations as the seed built them before it kept columns."""
    store = sb.store
    rng = random.Random(name)  # noqa: S311 (test data)
    for _n in range(len(store.customers)):  # the customer loop's draws, in its order
        rng.choice(seed.FIRST_NAMES), rng.choice(seed.LAST_NAMES), rng.choice(seed.DOMAINS)
        rng.random(), rng.choice(("Acme", "Initech", "Globex", "Umbrella", ""))
    users, tags = sorted(store.users), sorted(store.tags)
    mailboxes, customer_ids = sorted(store.mailboxes), sorted(store.customers)
    recent_from = 1.0 - mix.recent_days * 86_400.0 / YEAR
    first_id = min(store.conversations)
    expected = []
    for n in range(count):
        r = rng.random()
        created = BASE_TIME + r * YEAR
        weights = mix.recent if r >= recent_from else mix.older
        status = rng.choices(
            [s for s, _w in weights], cum_weights=list(itertools.accumulate(w for _s, w in weights))
        )[0]
        assignee = rng.choice(users) if rng.random() < 0.7 else None
        threads = rng.randint(1, 12)
        customer_id = rng.choice(customer_ids)
        conversation = Conversation(
            id=first_id + n,
            number=n + 1,
            mailbox_id=rng.choice(mailboxes),
            subject=rng.choice(seed.SUBJECTS),
            status=status,
            customer_id=customer_id,
            created_at=created,
            modified_at=created + threads * 3600.0 + rng.random() * 3600.0,
            assignee_id=assignee,
            tag_ids=rng.sample(tags, rng.randint(0, 3)),
            created_by=("customer", customer_id),
            thread_count=threads,
            seed_key=f"{name}:{first_id + n}",
            preview=rng.choice(seed.CUSTOMER_LINES),
        )
        if status == "closed":
            conversation.closed_at = conversation.modified_at
            conversation.closed_by = assignee or 0
        expected.append(conversation)
    # seed_organizations: one in twenty open unassigned conversations goes to a team,
    # the two teams in turn (drawing nothing from the stream).
    teams, placed = sorted(store.teams), 0
    for conversation in expected:
        if conversation.assignee_id is None and conversation.status in ("active", "pending"):
            if placed % 20 == 0:
                conversation.assignee_id = teams[(placed // 20) % len(teams)]
            placed += 1
    return expected


@pytest.mark.parametrize(
    ("name", "count", "mix"), [("demo", 2000, seed.DEMO_MIX), ("large:3000", 3000, seed.LARGE_MIX)]
)
def test_columns_hold_exactly_what_the_plain_construction_built(name, count, mix):
    with Sandbox(seed=name, rate_limit_per_minute=None) as sb, api_client(sb) as api:
        expected = _plain_construction(sb, name, count, mix)
        store = sb.store
        assert list(store.conversations.values()) == expected
        assert [store.conversations[c.id] for c in expected] == expected
        # The API answers (get, threads, list) are those of the plain records.
        for reference in expected[::397]:
            body = api.get(f"/conversations/{reference.id}", params={"embed": "threads"}).json()
            assert body == shapes.conversation(reference, store, sb.api_base_url, True)
            threads = api.get(f"/conversations/{reference.id}/threads").json()
            assert [t["id"] for t in threads["_embedded"]["threads"]] == [
                t.id for t in reversed(store.thread_generator(store, reference))
            ]
        listed = api.get("/conversations", params={"status": "all", "embed": "threads"}).json()
        by_id = {c.id: c for c in expected}
        for item in listed["_embedded"]["conversations"]:
            reference = shapes.conversation(by_id[item["id"]], store, sb.api_base_url, True)
            shapes.truncate_chat_threads(reference)
            assert item == reference


def test_a_held_conversation_sees_the_change_and_the_change_stays():
    with Sandbox(seed="large:200", rate_limit_per_minute=None) as sb:
        store = sb.store
        held = store.conversation(min(store.conversations) + 7)
        store.update_conversation(held.id, subject="Renamed", status="spam")
        assert held.subject == "Renamed" and held.status == "spam"
        del held
        gc.collect()
        again = store.conversation(min(store.conversations) + 7)
        assert (again.subject, again.status) == ("Renamed", "spam")
        assert again is store.conversation(again.id)


def test_the_table_counts_iterates_and_deletes_like_a_dict():
    with Sandbox(seed="large:300", rate_limit_per_minute=None) as sb:
        store = sb.store
        ids = list(store.conversations)
        assert ids == sorted(ids) and len(store.conversations) == 300
        store.add_thread(ids[5], "note", "changed")
        store.delete_conversation(ids[6])
        store.delete_conversation(ids[5])
        created = sb.create_conversation(customer_email="new@example.com")["id"]
        store.merge_conversations(ids[8], ids[9])
        assert len(store.conversations) == 300 - 3 + 1
        assert list(store.conversations) == [*ids[:5], ids[7], *ids[9:], created]
        assert [c.id for c in store.conversations.values()] == list(store.conversations)
        assert ids[5] not in store.conversations and ids[9] in store.conversations
        assert created in store.conversations and "x" not in store.conversations
        with pytest.raises(KeyError):
            store.conversations[ids[6]]
        with pytest.raises(KeyError):
            del store.conversations[ids[6]]
        assert len(store.modified_order) == len(store.created_order) == 298


def _open_share(conversations) -> float:
    statuses = Counter(c.status for c in conversations)
    return (statuses["active"] + statuses["pending"]) / sum(statuses.values())


def test_the_large_seed_is_about_eight_percent_open_and_open_work_is_recent():
    sb = Sandbox(seed="large:20000", rate_limit_per_minute=None)  # not started
    conversations = list(sb.store.conversations.values())
    assert 0.07 <= _open_share(conversations) <= 0.09
    statuses = Counter(c.status for c in conversations)
    assert statuses["closed"] > 0.8 * len(conversations) and statuses["spam"] > 0
    assert statuses["active"] > statuses["pending"] > 0
    six_weeks_ago = max(c.created_at for c in conversations) - 42 * 86_400
    open_ = [c for c in conversations if c.status in ("active", "pending")]
    recent = [c for c in conversations if c.created_at >= six_weeks_ago]
    assert sum(c.created_at >= six_weeks_ago for c in open_) > 0.8 * len(open_)
    assert _open_share(recent) > 0.5
    assert _open_share(c for c in conversations if c.created_at < six_weeks_ago) < 0.02


def test_the_demo_keeps_its_busy_inbox(demo):
    assert 0.4 <= _open_share(demo.store.conversations.values()) <= 0.5


def test_tag_counts_come_from_the_columns_and_follow_changes():
    with Sandbox(seed="large:500", rate_limit_per_minute=None) as sb, api_client(sb) as api:
        store = sb.store
        ids = sorted(store.conversations)
        store.update_conversation(ids[0], tags=["billing", "brand-new"])
        store.delete_conversation(ids[1])
        store.delete_conversation(ids[2])
        expected = Counter(t for c in store.conversations.values() for t in c.tag_ids)
        listed = api.get("/tags").json()["_embedded"]["tags"]
        assert {t["id"]: t["ticketCount"] for t in listed} == {
            tag_id: expected[tag_id] for tag_id in store.tags
        }
        billing = store.tags_by_name["billing"]
        assert api.get(f"/tags/{billing.id}").json()["ticketCount"] == expected[billing.id]
