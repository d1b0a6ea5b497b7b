"""End to end against the sandbox (real HTTP): the mirror ends equal to Help Scout."""

import time

import pytest
from django.db import IntegrityError

from helpscout_integration.exceptions import ServerError
from helpscout_integration.models import Conversation, SyncState, Thread
from helpscout_integration.sandbox import Sandbox
from helpscout_integration.sync import upsert_threads
from helpscout_integration.sync.engine import RESOURCES, SyncEngine

from .mirror import local_state, remote_state

pytestmark = pytest.mark.django_db


class FakeTime:
    """Client clock and sleep: waiting moves the clock instead of the test's time."""

    def __init__(self):
        self.now = time.time()
        self.slept = []

    def clock(self):
        return self.now

    def sleep(self, seconds):
        self.slept.append(seconds)
        self.now += seconds


@pytest.fixture(scope="module")
def demo():
    """The demo seed (2,000 conversations), shared by tests that only read it."""
    with Sandbox(seed="demo") as sandbox:
        yield sandbox


@pytest.fixture
def small():
    """A small sandbox of its own (60 conversations, 200 customers) for tests that change it."""
    with Sandbox(seed="large:60") as sandbox:
        yield sandbox


def test_full_sync_of_the_demo_seed_equals_the_sandbox(demo, make_client):
    client = make_client(demo)
    report = SyncEngine(client).run(full=True)
    conversation_requests = [
        path for method, path, status in demo.request_log if "/conversations" in path
    ]
    remote = remote_state(demo)
    assert len(remote["conversations"]) == 2000
    assert local_state() == remote
    objects = {k: v for k, v in remote.items() if k != "organization_of"}  # links, not rows
    assert report.total.created == sum(len(v) for v in objects.values())
    assert remote["organizations"] and remote["teams"] and remote["organization_of"]
    assert Thread.objects.count() > 2000
    # Threads came embedded in list pages: never one request per conversation.
    assert len(conversation_requests) <= 2000 / 25 * 1.1
    assert not any(path.split("?")[0].endswith("/threads") for path in conversation_requests)
    assert not Conversation.objects.filter(is_placeholder=True).exists()

    again = SyncEngine(client).run(full=True)  # nothing changed: nothing written
    assert (again.total.created, again.total.updated, again.total.deleted) == (0, 0, 0)


def test_incremental_picks_up_changes_after_the_checkpoint(small, make_client):
    client = make_client(small)
    SyncEngine(client).run(full=True)
    remote = remote_state(small)
    ids = sorted(remote["conversations"])
    mailboxes = sorted(remote["mailboxes"])
    other_mailbox = next(m for m in mailboxes if m != remote["conversations"][ids[1]][2])

    new = small.create_conversation(
        mailbox_id=mailboxes[0],
        customer_email="new.person@example.com",
        subject="Brand new",
        threads=[{"type": "customer", "text": "hello"}],
        tags=["fresh-tag"],
    )
    small.update_conversation(ids[0], subject="Edited subject", status="closed")
    small.add_thread(ids[0], type="note", text="internal note")
    small.update_conversation(ids[1], mailbox_id=other_mailbox)
    small.update_conversation(ids[2], tags=["moved-on"])
    small.delete_conversation(ids[3])
    small.merge_conversations(ids[4], ids[5])

    report = SyncEngine(client).run()
    assert report.resources["conversations"].mode == "incremental"
    assert local_state() == remote_state(small)
    assert Conversation.objects.get(pk=new["id"]).subject == "Brand new"
    assert Conversation.objects.get(pk=ids[1]).mailbox_id == other_mailbox
    deleted = Conversation.objects.get(pk=ids[3])
    assert deleted.is_deleted and deleted.threads.exists()  # kept, marked
    merged = Conversation.objects.get(pk=ids[4])
    assert merged.merged_into_id == ids[5] and not merged.threads.exists()


def test_full_sync_marks_deleted_conversations(small, make_client):
    client = make_client(small)
    SyncEngine(client).run(full=True)
    victim = sorted(remote_state(small)["conversations"])[10]
    small.delete_conversation(victim)
    report = SyncEngine(client).run(["conversations"], full=True)
    assert report.total.deleted == 1
    assert Conversation.objects.get(pk=victim).is_deleted


def test_kill_and_resume_ends_equal_without_duplicates(small, make_client):
    client = make_client(small)
    SyncEngine(client).run([r for r in RESOURCES if r != "conversations"], full=True)

    class Killed(BaseException):
        """Stands for kill -9: nothing after it runs, the page's transaction rolls back."""

    def kill(resource, pages_done):
        if resource.startswith("conversations") and pages_done == 2:
            raise Killed

    with pytest.raises(Killed):
        # One commit per page (grouped commits: test_engine_paging.py).
        SyncEngine(client, page_hook=kill, commit_interval=0).run(["conversations"], full=True)
    state = SyncState.objects.get(resource="conversations", mailbox_id=0)
    assert state.cursor["pages_done"] == 1 and state.cursor["phase"] == "open"
    assert Conversation.objects.count() == state.cursor["items_done"] > 0  # page 1 only

    report = SyncEngine(client).run(["conversations"], full=True)
    assert report.resources["conversations"].resumed_from_page == 2
    assert local_state() == remote_state(small)
    ids = list(Thread.objects.values_list("id", flat=True))
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("commit_interval", [0, 60])
def test_a_database_error_mid_sync_loses_nothing_and_the_next_run_resumes(
    small, make_client, monkeypatch, commit_interval
):
    """On PostgreSQL a page's writes are only sent (pipelined): a failing one must still
    stop the run with Django's error, roll back its page group, and leave the cursor at
    the last committed page. Page groups of one page (0) and of many (60 s)."""
    client = make_client(small)
    SyncEngine(client).run([r for r in RESOURCES if r != "conversations"], full=True)
    real_upsert_rows = upsert_threads.upsert_rows
    thread_writes = []

    def failing_on_the_second_page(model, rows, **kwargs):
        real_upsert_rows(model, rows, **kwargs)
        if model is Thread and kwargs.get("absent"):
            thread_writes.append(len(rows))
            if len(thread_writes) == 2:  # a thread without a conversation: NOT NULL
                real_upsert_rows(Thread, [{"id": 1, "conversation_id": None}], update=None)

    monkeypatch.setattr(upsert_threads, "upsert_rows", failing_on_the_second_page)
    with pytest.raises(IntegrityError):
        SyncEngine(client, commit_interval=commit_interval).run(["conversations"], full=True)
    cursor = SyncState.objects.get(resource="conversations", mailbox_id=0).cursor
    assert cursor["pages_done"] <= 1
    assert Conversation.objects.count() == cursor["items_done"]  # rows and cursor together

    monkeypatch.setattr(upsert_threads, "upsert_rows", real_upsert_rows)
    SyncEngine(client).run(["conversations"], full=True)
    assert local_state() == remote_state(small)


def test_5xx_mid_sync_is_retried(small, make_client):
    fake = FakeTime()
    client = make_client(small, sleep=fake.sleep, clock=fake.clock)

    def fail(resource, pages_done):
        if resource == "conversations (open work)" and pages_done == 1:
            small.faults.fail_next(2, status=503)

    SyncEngine(client, page_hook=fail).run(full=True)
    assert local_state() == remote_state(small)
    assert sum(1 for _, _, status in small.request_log if status == 503) == 2


def test_persistent_5xx_stops_the_run_and_the_next_run_resumes(small, make_client):
    fake = FakeTime()
    client = make_client(small, sleep=fake.sleep, clock=fake.clock, max_retries=1)

    def outage(resource, pages_done):
        if resource == "conversations (open work)" and pages_done == 1:
            small.faults.fail_next(10, status=500)

    with pytest.raises(ServerError):
        SyncEngine(client, page_hook=outage).run(full=True)
    state = SyncState.objects.get(resource="conversations", mailbox_id=0)
    # Stopped part-way (the page in flight when the outage began may have been the
    # prefetched next one, or the first of the next phase), with the error recorded
    # and the cursor kept.
    assert state.cursor
    assert any("ServerError" in row.last_error for row in SyncState.objects.all())
    small.faults.clear()
    SyncEngine(client).run(full=True)
    assert local_state() == remote_state(small)


def test_429_storm_mid_sync_is_waited_out(small, make_client):
    fake = FakeTime()
    client = make_client(small, sleep=fake.sleep, clock=fake.clock)

    def storm(resource, pages_done):
        if resource == "conversations (open work)" and pages_done == 1:
            small.faults.rate_limit_storm(3, retry_after=2)

    report = SyncEngine(client, page_hook=storm).run(full=True)
    assert local_state() == remote_state(small)
    assert report.rate_limit_waits >= 3 and sum(fake.slept) >= 6
    assert sum(1 for _, _, status in small.request_log if status == 429) == 3


def test_token_expiry_mid_sync(small, make_client):
    client = make_client(small)

    def revoke(resource, pages_done):
        if resource == "conversations (open work)" and pages_done == 1:
            small.faults.revoke_tokens()

    SyncEngine(client, page_hook=revoke).run(full=True)
    assert local_state() == remote_state(small)
    assert any(status == 401 for _, _, status in small.request_log)
