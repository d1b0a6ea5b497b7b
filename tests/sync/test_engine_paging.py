"""Engine paging with exact control over changes between requests (fake client)."""

import time

import pytest
from django.db import connection, connections, transaction

from helpscout_integration.models import Conversation, SyncState, Thread
from helpscout_integration.sync.engine import SyncEngine

from .fake_helpscout import FakeHelpScout

pytestmark = pytest.mark.django_db


def mirrored_subjects():
    return dict(Conversation.objects.filter(is_deleted=False).values_list("id", "subject"))


def remote_subjects(fake):
    return {cid: row["subject"] for cid, row in fake.conversations_store.items()}


def test_full_sync_with_threads_embedded_one_request_per_page():
    fake = FakeHelpScout()
    fake.add(60)
    report = SyncEngine(fake).run(["conversations"], full=True)
    assert mirrored_subjects() == remote_subjects(fake)
    assert Thread.objects.count() == 60
    assert report.total.created == 60
    assert all(params["embed"] == "threads" for _page, params in fake.conversations.requests)
    # Open work first, newest first: 60 active conversations, 25 a page.
    opening = [(page, p["status"], p["sortOrder"]) for page, p in fake.conversations.requests[:4]]
    assert opening == [(1, "active", "desc"), (2, "active", "desc"), (3, "active", "desc"),
                       (1, "pending", "desc")]  # fmt: skip


def test_changes_during_the_run_cannot_make_an_item_slip():
    """The classic drift: while page 1 is being processed, an item of page 1 changes and
    jumps to the end, so with page numbers the first item of page 2 would slide onto
    page 1 and be skipped. The keyset cursor makes that impossible."""
    fake = FakeHelpScout()
    fake.add(50)
    changes = iter([3, 7, 11])

    def change_one():
        cid = next(changes, None)
        if cid:
            fake.touch(cid, subject=f"changed {cid}")

    fake.hooks.append(change_one)
    SyncEngine(fake).run(["conversations"], full=True)
    assert mirrored_subjects() == remote_subjects(fake)


def test_incremental_uses_the_checkpoint_minus_overlap():
    fake = FakeHelpScout()
    fake.add(10)
    engine = SyncEngine(fake, reconcile=False)
    engine.run(["conversations"])
    state = SyncState.objects.get(resource="conversations", mailbox_id=0)
    assert state.checkpoint is not None and state.cursor == {}
    fake.touch(2, subject="new subject")
    fake.conversations.requests.clear()
    report = engine.run(["conversations"])
    since = fake.conversations.requests[0][1]["modifiedSince"]
    assert since == (state.checkpoint - engine.overlap).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert report.resources["conversations"].mode == "incremental"
    assert Conversation.objects.get(pk=2).subject == "new subject"


class Crash(Exception):
    pass


@pytest.mark.parametrize("crash_at", [1, 2, 3])
def test_crash_during_a_page_then_resume(crash_at):
    fake = FakeHelpScout()
    fake.add(70)

    def hook(resource, pages_done):
        if pages_done == crash_at:
            raise Crash

    with pytest.raises(Crash):
        SyncEngine(fake, page_hook=hook, commit_interval=0).run(["conversations"], full=True)
    state = SyncState.objects.get(resource="conversations", mailbox_id=0)
    assert state.cursor["pages_done"] == crash_at - 1  # the crashed page was rolled back
    assert "Crash" in state.last_error
    saved = dict(state.cursor)
    assert Conversation.objects.count() == 25 * (crash_at - 1)  # open work: 25 a page

    fake.conversations.requests.clear()
    report = SyncEngine(fake).run(["conversations"], full=True)
    assert report.resources["conversations"].resumed_from_page == crash_at
    assert mirrored_subjects() == remote_subjects(fake)
    assert Thread.objects.count() == 70
    # Resumed, not restarted: the first request continues from the saved cursor.
    page, params = fake.conversations.requests[0]
    assert (page, params.get("modifiedSince")) == (saved["page"], saved["since"])
    assert SyncState.objects.get(resource="conversations", mailbox_id=0).cursor == {}


def _let_the_prefetch_land(seconds=0.05):
    """A page hook pause long enough for the helper thread to have the next page."""
    time.sleep(seconds)


def test_pages_already_fetched_share_one_commit_and_a_crash_refetches_the_group():
    fake = FakeHelpScout()
    fake.add(70)  # three pages

    def hook(resource, pages_done):
        if pages_done == 3:
            raise Crash
        _let_the_prefetch_land()

    with pytest.raises(Crash):
        SyncEngine(fake, page_hook=hook, commit_interval=60).run(["conversations"], full=True)
    # Pages 1-3 arrived before each was written: one group, rolled back as a whole.
    state = SyncState.objects.get(resource="conversations", mailbox_id=0)
    assert state.cursor["pages_done"] == 0
    assert Conversation.objects.count() == 0

    fake.conversations.requests.clear()
    report = SyncEngine(fake).run(["conversations"], full=True)
    assert report.resources["conversations"].resumed_from_page == 1
    assert mirrored_subjects() == remote_subjects(fake)
    assert Thread.objects.count() == 70
    assert fake.conversations.requests[0][0] == 1
    assert "modifiedSince" not in fake.conversations.requests[0][1]


def test_a_group_commits_once_it_is_older_than_the_interval():
    fake = FakeHelpScout()
    fake.add(70)

    def hook(resource, pages_done):
        if pages_done == 3:
            raise Crash
        _let_the_prefetch_land(0.05)  # longer than the interval: each page commits

    with pytest.raises(Crash):
        SyncEngine(fake, page_hook=hook, commit_interval=0.01).run(["conversations"], full=True)
    assert SyncState.objects.get(resource="conversations", mailbox_id=0).cursor["pages_done"] == 2
    assert Conversation.objects.count() == 50


def test_the_group_commits_before_waiting_on_help_scout():
    """Rows are never left locked while we wait for a slow page."""
    fake = FakeHelpScout()
    fake.add(70)
    main = connections["default"]
    depth = {}
    listing_pages = fake.conversations.pages

    def slow_second_request(start_page=1, **params):
        if len(fake.conversations.requests) == 1:  # the request for the second page
            time.sleep(0.3)
            depth["while waiting"] = len(main.atomic_blocks)
        return listing_pages(start_page, **params)

    fake.conversations.pages = slow_second_request

    def hook(resource, pages_done):
        if pages_done == 1:
            depth["writing"] = len(main.atomic_blocks)

    SyncEngine(fake, page_hook=hook, commit_interval=60).run(["conversations"], full=True)
    assert depth["while waiting"] == depth["writing"] - 1  # the page's group had committed
    assert mirrored_subjects() == remote_subjects(fake)


def test_full_sync_marks_conversations_help_scout_no_longer_has():
    fake = FakeHelpScout()
    fake.add(30)
    SyncEngine(fake).run(["conversations"], full=True)
    del fake.conversations_store[5]
    report = SyncEngine(fake).run(["conversations"], full=True)
    assert report.total.deleted == 1
    gone = Conversation.objects.get(pk=5)
    assert gone.is_deleted and gone.deleted_at is not None
    assert Conversation.objects.filter(is_deleted=False).count() == 29


def test_incremental_reconciles_deletions_by_count():
    fake = FakeHelpScout()
    fake.add(30)
    SyncEngine(fake).run(["mailboxes", "conversations"], full=True)
    del fake.conversations_store[8]
    report = SyncEngine(fake).run(["conversations"])
    assert report.total.deleted == 1
    assert Conversation.objects.get(pk=8).is_deleted


def _durability_setting():
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW synchronous_commit")
        else:
            cursor.execute("PRAGMA synchronous")
        return str(cursor.fetchone()[0])


@pytest.mark.django_db(transaction=True)
def test_page_groups_commit_without_waiting_for_disk_on_postgresql_only():
    """Rows and cursor are lost together or not at all, so the sync's own transactions
    need no fsync wait (PostgreSQL); nothing else's durability changes."""
    fake = FakeHelpScout()
    fake.add(30)
    before = _durability_setting()
    inside = []
    SyncEngine(fake, page_hook=lambda *_: inside.append(_durability_setting())).run(
        ["conversations"], full=True
    )
    expected = "off" if connection.vendor == "postgresql" else before
    assert len(inside) >= 2 and set(inside) == {expected}
    assert _durability_setting() == before  # SET LOCAL: over with the transaction
    assert mirrored_subjects() == remote_subjects(fake)

    # Inside a caller's transaction the caller's own writes keep their durability.
    fake.add(5)
    inside.clear()
    with transaction.atomic():
        SyncEngine(fake, page_hook=lambda *_: inside.append(_durability_setting())).run(
            ["conversations"], full=True
        )
    assert inside and set(inside) == {before}
    assert mirrored_subjects() == remote_subjects(fake)
