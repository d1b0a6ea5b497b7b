"""A first (or full) sync in phases: open work first, newest first, then the history.

Fake client (exact control over what changes between two requests); the whole thing
against the sandbox is in test_engine_sandbox.py and benchmarks/sync.py (e).
"""

import os
from datetime import timedelta

import pytest
from django.utils import timezone

from helpscout_integration.models import Conversation, SyncState
from helpscout_integration.sync import checkpoints
from helpscout_integration.sync.engine import BACKFILL, SyncEngine, backfill_pending
from helpscout_integration.sync.upsert import upsert_conversations

from .fake_helpscout import FakeHelpScout

pytestmark = pytest.mark.django_db


class Crash(BaseException):
    """Stands for kill -9: nothing after it runs, the open page group rolls back."""


def account(active=30, pending=10, closed=60, spam=5):
    """A fake account whose open work is its newest part, as in a real one."""
    fake = FakeHelpScout()
    for status, count in (("closed", closed), ("spam", spam), ("pending", pending)):
        first = len(fake.conversations_store) + 1
        fake.add(count)
        for cid in range(first, first + count):
            fake.conversations_store[cid]["status"] = status
    fake.add(active)
    return fake


def open_ids(fake):
    return {
        c for c, row in fake.conversations_store.items() if row["status"] in ("active", "pending")
    }


def mirrored():
    return set(Conversation.objects.filter(is_deleted=False).values_list("id", flat=True))


def stop_when_the_backfill_begins(fake):
    """A full sync killed on its first backfill page: open work mirrored, history queued."""

    def stop_at_backfill(label, pages_done):
        if label == "conversations (backfill)":
            raise Crash

    with pytest.raises(Crash):
        SyncEngine(fake, page_hook=stop_at_backfill, commit_interval=0).run(
            ["conversations"], full=True
        )


def hold_the_backfill(owner):
    """Make `owner` ("host:pid") the pending backfill's holder, its lease two minutes on."""
    backfill = SyncState.objects.get(resource=BACKFILL, mailbox_id=0)
    cursor = checkpoints.RunCursor.from_json(backfill.cursor)
    cursor.owner = owner
    cursor.lease_until = (timezone.now() + timedelta(minutes=2)).isoformat()
    checkpoints.save_cursor(backfill, cursor, renew=False)


def test_open_work_is_mirrored_newest_first_before_any_history_page():
    fake = account()
    seen_at_backfill = []

    def hook(label, pages_done):
        if label == "conversations (backfill)" and not seen_at_backfill:
            seen_at_backfill.append(mirrored())

    SyncEngine(fake, page_hook=hook).run(["conversations"], full=True)
    assert seen_at_backfill[0] >= open_ids(fake)  # every open conversation, before history
    requests = fake.conversations.requests
    statuses = [params["status"] for _page, params in requests]
    assert statuses[:3] == ["active", "active", "pending"]  # 30 active: 2 pages; 10 pending
    assert statuses.index("closed") > statuses.index("pending")
    first_page = requests[0]
    assert first_page[1]["sortOrder"] == "desc"
    newest_active = max(
        (row["userUpdatedAt"], cid)
        for cid, row in fake.conversations_store.items()
        if row["status"] == "active"
    )[1]
    assert newest_active in Conversation.objects.values_list("id", flat=True)
    assert mirrored() == set(fake.conversations_store)
    assert not backfill_pending(None)
    assert SyncState.objects.get(resource="conversations", mailbox_id=0).last_full_sync_at


def test_conversations_closed_during_the_open_phase_cannot_make_one_slip():
    """Closing conversations already read shifts the newest-first list forward: the next
    page would start past items never read. totalElements dropped, so the run steps back."""
    fake = account(active=60, pending=0, closed=0, spam=0)
    newest_first = sorted(
        open_ids(fake), key=lambda c: fake.conversations_store[c]["userUpdatedAt"], reverse=True
    )

    def close_three_of_page_one(label, pages_done):
        if label == "conversations (open work)" and pages_done == 1:
            for cid in newest_first[:3]:
                fake.conversations_store[cid]["status"] = "closed"  # no longer active

    SyncEngine(fake, page_hook=close_three_of_page_one, prefetch=False).run(
        ["conversations"], full=True
    )
    assert mirrored() == set(fake.conversations_store)
    pages = [page for page, params in fake.conversations.requests if params["status"] == "active"]
    assert pages == [1, 2, 1, 2, 3]  # stepped back one page after the drop of 3


def test_more_than_a_page_closed_mid_listing_still_leaves_no_open_work_behind():
    """Staff closing 26 conversations (more than a page) while the open work is listed
    shift the rest forward by more than a page: the run steps back as far, and every
    conversation still open is mirrored before the history backfill begins."""
    fake = account(active=75, pending=0, closed=0, spam=0)
    newest_first = sorted(
        open_ids(fake), key=lambda c: fake.conversations_store[c]["userUpdatedAt"], reverse=True
    )
    seen_at_backfill = []

    def hook(label, pages_done):
        if label == "conversations (open work)" and pages_done == 2:
            for cid in newest_first[:26]:
                fake.conversations_store[cid]["status"] = "closed"
        if label == "conversations (backfill)" and not seen_at_backfill:
            seen_at_backfill.append(mirrored())

    SyncEngine(fake, page_hook=hook, prefetch=False).run(["conversations"], full=True)
    still_open = open_ids(fake)
    assert len(still_open) == 49
    assert seen_at_backfill[0] >= still_open


def test_killed_in_the_backfill_resumes_there_without_listing_open_work_again():
    fake = account()

    def kill(label, pages_done):
        if label == "conversations (backfill)" and pages_done == 2:
            raise Crash

    with pytest.raises(Crash):
        SyncEngine(fake, page_hook=kill, commit_interval=0).run(["conversations"], full=True)
    backfill = SyncState.objects.get(resource=BACKFILL, mailbox_id=0)
    saved = dict(backfill.cursor)
    assert saved["pages_done"] == 1 and saved["listings"] == ["closed", "spam"]
    assert mirrored() >= open_ids(fake)

    fake.conversations.requests.clear()
    SyncEngine(fake).run(["conversations"], full=True)  # the operator reruns the same command
    statuses = [params["status"] for _page, params in fake.conversations.requests]
    assert "active" not in statuses and "pending" not in statuses  # no phase from scratch
    # Nor a listing of the whole account: what lists every status is incremental.
    assert all(
        params.get("modifiedSince")
        for _page, params in fake.conversations.requests
        if params["status"] == "all"
    )
    backfill_requests = [
        (page, params.get("modifiedSince"))
        for page, params in fake.conversations.requests
        if params["status"] == "closed"
    ]
    assert backfill_requests[0] == (saved["page"], saved["since"])
    assert mirrored() == set(fake.conversations_store)
    assert SyncState.objects.get(resource=BACKFILL, mailbox_id=0).cursor == {}


def test_incremental_runs_keep_the_mirror_fresh_while_another_process_backfills():
    fake = account()

    stop_when_the_backfill_begins(fake)
    hold_the_backfill("worker-2.example:4242")  # another live process, on another host

    active = sorted(c for c in open_ids(fake) if fake.conversations_store[c]["status"] == "active")
    fake.touch(active[0], subject="customer wrote again")
    fake.conversations.requests.clear()
    report = SyncEngine(fake).run(["mailboxes", "conversations"])
    assert Conversation.objects.get(pk=active[0]).subject == "customer wrote again"
    statuses = {params["status"] for _page, params in fake.conversations.requests}
    assert statuses == {"all"}  # no backfill page, no reconciliation pass
    assert report.resources["conversations"].mode == "incremental"
    assert "conversations (mailbox 1)" not in report.resources  # counts differ: not reconciled
    assert (
        SyncState.objects.get(resource=BACKFILL, mailbox_id=0)
        .cursor["owner"]
        .startswith("worker-2")
    )


def test_a_dead_process_claim_is_taken_over_at_once():
    fake = account()

    stop_when_the_backfill_begins(fake)
    host = checkpoints.this_process().rpartition(":")[0]
    hold_the_backfill(f"{host}:999999999")  # this host, no such process: killed with -9

    SyncEngine(fake).run(["conversations"])  # a plain incremental run takes it over
    assert mirrored() == set(fake.conversations_store)
    assert not backfill_pending(None)


@pytest.mark.parametrize("holder", ["another host", "a live process on this host"])
def test_an_expired_lease_is_taken_over_even_if_its_process_lives(holder):
    """A process that stopped renewing (hung, or on another host we cannot see) loses the
    backfill when its lease runs out: the next run finishes the history."""
    fake = account()

    stop_when_the_backfill_begins(fake)
    if holder == "another host":
        hold_the_backfill("worker-2.example:4242")  # liveness cannot be checked there
    else:
        host = checkpoints.this_process().rpartition(":")[0]
        hold_the_backfill(f"{host}:{os.getppid()}")  # alive: the process that started us
    backfill = SyncState.objects.get(resource=BACKFILL, mailbox_id=0)
    cursor = checkpoints.RunCursor.from_json(backfill.cursor)
    cursor.lease_until = (timezone.now() - timedelta(seconds=1)).isoformat()
    checkpoints.save_cursor(backfill, cursor, renew=False)

    SyncEngine(fake).run(["conversations"])
    assert mirrored() == set(fake.conversations_store)
    assert not backfill_pending(None)


def test_a_backfill_held_elsewhere_is_not_reported_as_a_finished_full_sync():
    """While another live process runs the history backfill, an incremental run neither
    starts it nor stamps the account as fully synced (the history is not all in)."""
    fake = account()

    stop_when_the_backfill_begins(fake)
    hold_the_backfill("worker-2.example:4242")
    before = SyncState.objects.get(resource="conversations", mailbox_id=0).last_full_sync_at
    messages = []
    engine = SyncEngine(fake)
    engine.reporter.message = messages.append
    engine.run(["conversations"])
    after = SyncState.objects.get(resource="conversations", mailbox_id=0).last_full_sync_at
    assert after == before
    assert any("backfill is running in worker-2.example:4242" in m for m in messages)
    assert backfill_pending(None)


def test_a_listing_held_by_another_live_process_is_left_to_it():
    """Each listing has its own lease: a customers sync running elsewhere is not run a
    second time here, nor its position or holder changed, while the rest syncs."""
    fake = account(active=3, pending=0, closed=2, spam=0)
    SyncEngine(fake).run(["customers", "conversations"])
    customers = checkpoints.get_state("customers")
    held = checkpoints.RunCursor(
        mode="incremental",
        started_at=timezone.now().isoformat(),
        since=customers.checkpoint.isoformat() if customers.checkpoint else None,
        page=3,
        pages_done=2,
        owner="worker-2.example:4242",
        lease_until=(timezone.now() + timedelta(minutes=2)).isoformat(),
        rate_since=timezone.now().isoformat(),
    )
    checkpoints.save_cursor(customers, held, renew=False)
    fake.customers.requests.clear()
    fake.conversations.requests.clear()

    report = SyncEngine(fake).run(["customers", "conversations"])
    assert fake.customers.requests == []
    assert report.resources["customers"].mode == "skipped"
    customers.refresh_from_db()
    assert customers.cursor == held.to_json()
    assert fake.conversations.requests  # the other listings still run


def test_a_webhook_for_history_not_yet_backfilled_creates_it_and_the_backfill_keeps_it():
    fake = account()
    closed = min(c for c, row in fake.conversations_store.items() if row["status"] == "closed")
    stale = dict(fake.conversations_store[closed])
    newer = {**stale, "subject": "reopened by webhook", "status": "active"}
    newer["userUpdatedAt"] = fake.tick()

    def webhook_arrives(label, pages_done):
        if label == "conversations (open work)" and pages_done == 1:
            # Help Scout sends the change; its list still answers the older copy.
            result = upsert_conversations([newer], source="webhook")
            assert result.created == 1

    SyncEngine(fake, page_hook=webhook_arrives).run(["conversations"], full=True)
    row = Conversation.objects.get(pk=closed)
    assert (row.subject, row.status) == ("reopened by webhook", "active")


def test_a_full_sync_of_one_mailbox_during_the_accounts_backfill_is_its_own():
    """`--mailbox M --full` while the whole account's backfill is pending: mailbox M gets
    its own phased full sync (its deletions swept), not just an incremental pass."""
    fake = account()

    stop_when_the_backfill_begins(fake)
    assert backfill_pending(None)
    fake.conversations.requests.clear()
    SyncEngine(fake).run(["conversations"], full=True, mailbox_id=1)
    mailbox_statuses = [p["status"] for _page, p in fake.conversations.requests if p.get("mailbox")]
    first_seen = list(dict.fromkeys(mailbox_statuses))
    assert first_seen[:4] == ["active", "pending", "all", "closed"]  # open work, then history
    assert SyncState.objects.get(resource=BACKFILL, mailbox_id=1).cursor == {}
    assert backfill_pending(None)  # the account's own backfill is still to finish
