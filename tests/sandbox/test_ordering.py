"""The time indexes answer exactly what filtering the whole account answers.

The sync's lists (status, mailbox, `modifiedSince`, `sortField=modifiedAt`) and the
default `createdAt` listing without `modifiedSince` (the per-mailbox count check) are
served from sorted indexes kept in step with every change; any other list filters and
sorts the account. Both paths are run here on the same requests after random sequences of every
kind of change, and must give the same ids in the same order and the same totals.
"""

from __future__ import annotations

import math
import random

import pytest

from helpscout_integration.sandbox import Sandbox, seed
from helpscout_integration.sandbox.clock import iso
from helpscout_integration.sandbox.mailbox_api import conversations as routes
from helpscout_integration.sandbox.server import ApiError, Request
from helpscout_integration.sandbox.store import STATUSES

from .conftest import api_client

STATUS_PARAMS = ("all", "active", "pending", "closed", "spam", "open", "active,closed", None)


def _request(params: dict) -> Request:
    query = {name: [value] for name, value in params.items() if value is not None}
    return Request("GET", "/v2/conversations", query, {})


def _both_paths(sb: Sandbox, params: dict) -> tuple[list[int], list[int], int]:
    request = _request(params)
    sort_field, descending = routes.sort_params(
        request, routes.CONVERSATION_SORT_FIELDS, "createdAt"
    )
    indexed = routes._indexed_selection(sb, request, sort_field, descending)
    assert indexed is not None, params
    slow = routes._filtered_ids(sb, request, sort_field, descending)
    # Pages as the pager cuts them, and one window across the page boundaries.
    pages = []
    for number in range(1, math.ceil(len(indexed) / 25) + 2):
        pages.extend(indexed[(number - 1) * 25 : number * 25])
    assert indexed[7:61] == slow[7:61], params
    return pages, slow, len(indexed)


def _queries(sb: Sandbox, rng: random.Random, count: int) -> list[dict]:
    store = sb.store
    mailboxes = sorted(store.mailboxes)
    times = sorted(math.floor(c.modified_at) for c in store.conversations.values())
    queries = []
    for _ in range(count):
        since = None
        if times and rng.random() < 0.8:
            since = rng.choice(times) + rng.choice((-1, 0, 0, 1))
        mailbox = None
        if rng.random() < 0.5:
            mailbox = ",".join(str(m) for m in rng.sample(mailboxes, rng.randint(1, 2)))
        if rng.random() < 0.35:
            # The count check's order: createdAt (named or Help Scout's default), no since.
            sort_field, since = rng.choice(("createdAt", None)), None
        else:
            sort_field = "modifiedAt"
        queries.append(
            {
                "status": rng.choice(STATUS_PARAMS),
                "mailbox": mailbox,
                "modifiedSince": iso(since) if since is not None else None,
                "sortField": sort_field,
                "sortOrder": rng.choice(("asc", "desc", None)),
            }
        )
    return queries


def _assert_paths_agree(sb: Sandbox, rng: random.Random, count: int = 40) -> None:
    for params in _queries(sb, rng, count):
        pages, slow, total = _both_paths(sb, params)
        assert total == len(slow), params
        assert pages == slow, params


def _mutate(sb: Sandbox, rng: random.Random, steps: int) -> None:
    """Random changes through the store's own methods (what every route calls)."""
    store = sb.store
    users = sorted(store.users)
    for step in range(steps):
        sb.clock.advance(rng.choice((0.0, 0.0, 0.3, 1.0, 2.5)))
        ids = sorted(store.conversations)
        action = rng.random()
        if action < 0.2 or len(ids) < 5:
            customer = store.customer_for(email=f"c{rng.randint(1, 30)}@ordering.test")
            store.create_conversation(
                mailbox_id=rng.choice(sorted(store.mailboxes)),
                customer=customer,
                subject=f"step {step}",
                threads=[{"type": "customer", "text": "hello"}],
                status=rng.choice(("active", "pending", "closed")),
                tags=rng.sample(["a", "b", "c"], rng.randint(0, 2)),
                # Imported conversations are created in the past: ids and creation times
                # do not grow together (as the seed's do not either).
                created_at=rng.choice((None, 1_704_067_200.0 + rng.random() * 4e7)),
            )
        elif action < 0.4:
            store.add_thread(
                rng.choice(ids),
                rng.choice(("customer", "message", "note")),
                "more",
                user_id=rng.choice(users),
                status=rng.choice((None, *STATUSES)),
            )
        elif action < 0.6:
            changes = rng.choice(
                (
                    {"status": rng.choice(STATUSES)},
                    {"mailbox_id": rng.choice(sorted(store.mailboxes))},
                    {"tags": rng.sample(["a", "b", "c", "d"], rng.randint(0, 3))},
                    {"subject": f"renamed {step}"},
                    {"assignee_id": rng.choice((None, *users))},
                )
            )
            store.update_conversation(rng.choice(ids), **changes)
        elif action < 0.75:
            source, target = rng.sample(ids, 2)
            store.merge_conversations(source, target)
        elif action < 0.85:
            store.delete_conversation(rng.choice(ids))
        elif action < 0.9:
            owner = store.conversations[rng.choice(ids)].customer_id
            owned = sum(1 for c in store.conversations.values() if c.customer_id == owner)
            if owned <= 100:
                store.delete_customer(owner)
        else:
            # A change the store refuses must leave the index as it was.
            with pytest.raises(Exception):  # noqa: B017, PT011 (any refusal)
                store.add_thread(rng.choice(ids), "message", "x", user_id=-1)


@pytest.mark.parametrize("case", range(4))
def test_indexed_lists_match_the_full_scan_after_random_changes(case):
    rng = random.Random(f"ordering-{case}")  # noqa: S311 (test data)
    with Sandbox(
        seed=f"large:{150 + 50 * case}", rate_limit_per_minute=None, manual_clock=True
    ) as sb:
        _assert_paths_agree(sb, rng)
        _mutate(sb, rng, 120)
        _assert_paths_agree(sb, rng)
        # Seeding more into a changed account (ids and times carry on) keeps them in step.
        seed.load(sb.store, "large:80")
        _mutate(sb, rng, 60)
        _assert_paths_agree(sb, rng)
        assert len(sb.store.modified_order) == len(sb.store.conversations)
        assert len(sb.store.created_order) == len(sb.store.conversations)


def test_an_empty_account_and_an_empty_selection():
    with Sandbox(rate_limit_per_minute=None) as sb:
        pages, slow, total = _both_paths(sb, {"status": "all", "sortField": "modifiedAt"})
        assert pages == slow == [] and total == 0
    with Sandbox(seed="large:60", rate_limit_per_minute=None) as sb:
        future = {
            "status": "all",
            "sortField": "modifiedAt",
            "modifiedSince": "2099-01-01T00:00:00Z",
        }
        pages, slow, total = _both_paths(sb, future)
        assert pages == slow == [] and total == 0


def test_other_filters_and_sorts_take_the_full_scan():
    with Sandbox(seed="large:60", rate_limit_per_minute=None) as sb:
        for params in (
            {"sortField": "createdAt", "modifiedSince": "2024-03-01T00:00:00Z"},
            {"sortField": "number"},
            {"sortField": "modifiedAt", "tag": "billing"},
            {"sortField": "modifiedAt", "assigned_to": "5001"},
            {"sortField": "modifiedAt", "query": "(status:active)"},
        ):
            request = _request(params)
            field, descending = routes.sort_params(
                request, routes.CONVERSATION_SORT_FIELDS, "createdAt"
            )
            assert routes._indexed_selection(sb, request, field, descending) is None, params


def test_the_sync_listing_is_served_without_scanning_the_account(monkeypatch):
    """Over HTTP, a keyset page of the sync never reaches the full scan, and bad
    parameters are still refused as Help Scout refuses them."""

    def scan(*args):
        raise AssertionError("the sync's listing scanned the whole account")

    with Sandbox(seed="large:500", rate_limit_per_minute=None) as sb, api_client(sb) as api:
        expected = sorted(sb.store.conversations.values(), key=lambda c: (c.modified_at, c.id))
        monkeypatch.setattr(routes, "_filtered_ids", scan)
        since = math.floor(expected[100].modified_at)
        params = {
            "status": "all",
            "embed": "threads",
            "sortField": "modifiedAt",
            "sortOrder": "asc",
            "modifiedSince": iso(since),
        }
        body = api.get("/conversations", params=params).json()
        wanted = [c.id for c in expected if math.floor(c.modified_at) >= since]
        assert [c["id"] for c in body["_embedded"]["conversations"]] == wanted[:25]
        assert body["page"]["totalElements"] == len(wanted)
        assert body["_embedded"]["conversations"][0]["_embedded"]["threads"]
        bad = api.get("/conversations", params={**params, "status": "nope"})
        assert bad.status_code == 400
        bad = api.get("/conversations", params={**params, "modifiedSince": "yesterday"})
        assert bad.status_code == 400


def test_an_http_change_moves_the_conversation_in_the_index():
    with Sandbox(seed="large:100", rate_limit_per_minute=None) as sb, api_client(sb) as api:
        oldest = min(sb.store.conversations.values(), key=lambda c: (c.modified_at, c.id))
        patch = {"op": "replace", "path": "/status", "value": "spam"}
        assert api.patch(f"/conversations/{oldest.id}", json=patch).status_code == 204
        params = {"status": "spam", "sortField": "modifiedAt", "sortOrder": "desc"}
        body = api.get("/conversations", params=params).json()
        assert body["_embedded"]["conversations"][0]["id"] == oldest.id
        params = {"status": "all", "sortField": "modifiedAt", "sortOrder": "asc"}
        body = api.get("/conversations", params=params).json()
        assert body["_embedded"]["conversations"][0]["id"] != oldest.id


def test_refused_parameters_name_the_parameter():
    with Sandbox(rate_limit_per_minute=None) as sb:
        request = _request({"sortField": "modifiedAt", "mailbox": "x"})
        with pytest.raises(ApiError):
            routes._indexed_selection(sb, request, "modifiedAt", True)


def test_the_per_mailbox_count_check_is_served_without_scanning_the_account(monkeypatch):
    """The incremental sync's `status=all&mailbox=ID` page 1 (Help Scout's default order,
    createdAt desc) reads `page.totalElements` from the index, in both orders."""

    def scan(*args):
        raise AssertionError("the count check scanned the whole account")

    with Sandbox(seed="large:400", rate_limit_per_minute=None) as sb, api_client(sb) as api:
        mailbox = min(sb.store.mailboxes)
        sb.store.update_conversation(
            min(sb.store.conversations), mailbox_id=max(sb.store.mailboxes)
        )
        expected = sorted(
            (c for c in sb.store.conversations.values() if c.mailbox_id == mailbox),
            key=lambda c: (c.created_at, c.id),
        )
        monkeypatch.setattr(routes, "_filtered_ids", scan)
        for params, wanted in (
            ({"status": "all", "mailbox": mailbox}, expected[::-1]),
            ({"status": "all", "mailbox": mailbox, "sortOrder": "asc"}, expected),
            ({"status": "all", "mailbox": mailbox, "sortField": "createdAt"}, expected[::-1]),
        ):
            body = api.get("/conversations", params=params).json()
            assert body["page"]["totalElements"] == len(wanted)
            assert [c["id"] for c in body["_embedded"]["conversations"]] == [
                c.id for c in wanted[:25]
            ]


def test_keys_sort_like_time_then_id_for_any_time():
    from array import array

    from helpscout_integration.sandbox.ordering import ID_MASK, sort_key, sort_keys

    values = [-86_400.5, -1.0, -0.0, 0.0, 1e-9, 1.0, 1_704_067_200.25, 1_704_067_200.25, 4e9]
    pairs = [(v, 1_000_001 + n % 3) for n, v in enumerate(values)]
    keys = [sort_key(v, i) for v, i in pairs]
    assert sorted(range(len(pairs)), key=keys.__getitem__) == sorted(
        range(len(pairs)), key=lambda n: (pairs[n][0], pairs[n][1], n)
    )
    assert [k & ID_MASK for k in keys] == [i for _v, i in pairs]
    column = array("d", values)
    assert sort_keys(column, range(7, 7 + len(values))) == [
        sort_key(v, 7 + n) for n, v in enumerate(values)
    ]
    positive = array("d", values[3:])
    assert sort_keys(positive, range(5, 5 + len(positive))) == [
        sort_key(v, 5 + n) for n, v in enumerate(values[3:])
    ]
    with pytest.raises(ValueError):
        sort_key(1.0, ID_MASK + 1)
