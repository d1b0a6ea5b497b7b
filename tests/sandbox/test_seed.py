"""Seeds: the demo team is deterministic and believable; large:N is big and consistent."""

import json
from collections import Counter

import pytest

from helpscout_integration.sandbox import Sandbox


def _snapshot(sandbox):
    """Every conversation with its threads, addresses made port-independent."""
    with sandbox.store.lock:
        items = [sandbox.get_conversation(cid) for cid in sorted(sandbox.store.conversations)]
    return json.dumps(items).replace(sandbox.url, "URL")


def test_demo_seed_is_deterministic(demo):
    with Sandbox(seed="demo") as again:
        assert _snapshot(again) == _snapshot(demo)
        docs = lambda sb: sorted((a.id, a.name) for a in sb.store.docs_articles.values())  # noqa: E731
        assert docs(again) == docs(demo)


def test_demo_seed_is_a_believable_support_team(demo):
    store = demo.store
    assert (len(store.mailboxes), len(store.users), len(store.customers)) == (3, 5, 200)
    assert len(store.tags) >= 10
    assert len(store.conversations) == 2000
    statuses = Counter(c.status for c in store.conversations.values())
    assert set(statuses) == {"active", "pending", "closed", "spam"}
    counts = Counter(c.thread_count for c in store.conversations.values())
    assert min(counts) == 1 and max(counts) == 12
    assert len(store.docs_articles) == 40 and store.docs_collections and store.docs_categories
    threads = store.threads_of(next(iter(store.conversations.values())))
    assert {t.type for t in threads} <= {"customer", "message", "note"}


def test_seeded_threads_are_stable_and_unique(demo):
    seen = set()
    for conversation in list(demo.store.conversations.values())[:300]:
        first = [t.id for t in demo.store.threads_of(conversation)]
        assert first == [t.id for t in demo.store.threads_of(conversation)]
        assert len(first) == conversation.thread_count
        assert seen.isdisjoint(first)
        seen.update(first)


def test_new_objects_do_not_collide_with_seeded_ids():
    with Sandbox(seed="demo") as sb:
        existing = max(sb.store.conversations)
        created = sb.create_conversation(customer_email="new@example.com")
        assert created["id"] > existing and created["number"] == 2001
        thread = sb.add_thread(existing, "note", "hi")
        seeded = {
            t.id
            for c in sb.store.conversations.values()
            for t in sb.store.threads_of(c)
            if c.id != existing
        }
        assert thread["id"] not in seeded


def test_large_seed_holds_a_hundred_thousand_conversations():
    sb = Sandbox(seed="large:100000")  # not started: building it is what is measured here
    assert len(sb.store.conversations) == 100_000
    conversation = sb.store.conversations[max(sb.store.conversations)]
    shaped = sb.get_conversation(conversation.id)
    assert len(shaped["_embedded"]["threads"]) == shaped["threads"] == conversation.thread_count


def test_large_seed_pages_over_http():
    from .conftest import api_client

    with Sandbox(seed="large:3000", rate_limit_per_minute=None) as sb, api_client(sb) as api:
        body = api.get("/conversations", params={"status": "all", "page": 120, "embed": "threads"})
        page = body.json()
        assert page["page"]["totalElements"] == 3000 and page["page"]["totalPages"] == 120
        assert all(
            len(c["_embedded"]["threads"]) == c["threads"]
            for c in page["_embedded"]["conversations"]
        )


@pytest.mark.parametrize("bad", ["tiny", "large:x", "large:-1"])
def test_unknown_seeds_are_refused(bad):
    with pytest.raises(ValueError):
        Sandbox(seed=bad)


def test_changing_a_seeded_conversation_keeps_its_past_threads():
    with Sandbox(seed="demo") as sb:
        conversation = next(c for c in sb.store.conversations.values() if c.assignee_id)
        before = sb.get_conversation(conversation.id)["_embedded"]["threads"]
        other = next(u for u in sb.store.users if u != conversation.assignee_id)
        sb.update_conversation(conversation.id, assignee_id=other, status="spam")
        after = sb.get_conversation(conversation.id)["_embedded"]["threads"]
        past = [t for t in after if t["type"] != "lineitem"]
        assert [(t["id"], t["createdBy"], t["status"]) for t in past] == [
            (t["id"], t["createdBy"], t["status"]) for t in before
        ]
        # The change itself is recorded as line items (newest first), as in Help Scout.
        assert [t["type"] for t in after[:2]] == ["lineitem", "lineitem"]


def test_a_seed_that_ends_now_is_the_same_data_moved_to_the_present():
    import time as _time

    from helpscout_integration.sandbox import Sandbox as _Sandbox

    now = _time.time()
    fixed, moved = _Sandbox(seed="large:50"), _Sandbox(seed="large:50", seed_ends_at=now)
    a = sorted(fixed.store.conversations.values(), key=lambda c: c.id)
    b = sorted(moved.store.conversations.values(), key=lambda c: c.id)
    assert [(c.subject, c.status) for c in a] == [(c.subject, c.status) for c in b]
    shift = b[0].created_at - a[0].created_at
    assert all(
        abs((y.modified_at - x.modified_at) - shift) < 1e-3 for x, y in zip(a, b, strict=True)
    )
    newest = max(c.modified_at for c in b)
    assert now - 400 * 86400 < min(c.created_at for c in b) and newest <= now
    assert now - newest < 30 * 86400  # the demo's "past month" filters are not empty
