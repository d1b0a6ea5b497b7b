"""The engine with the real client over HTTP (an in-memory Help Scout transport):
the mirror ends equal to Help Scout through changes, crashes, 429s, 5xx, token expiry."""

import time

import pytest

from helpscout_integration.client import HelpScoutClient
from helpscout_integration.exceptions import ServerError
from helpscout_integration.models import Conversation, SyncState, Thread
from helpscout_integration.sync.engine import SyncEngine

from .fake_api import API, FakeAPI
from .mirror import local_state, remote_state

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    fake = FakeAPI()
    vip, billing = fake.add_tag("vip"), fake.add_tag("billing")
    for n in range(60):
        fake.add_conversation(mailbox=1 + n % 2, tags=[vip] if n % 3 else [vip, billing])
    return fake


class FakeTime:
    """The client's clock and sleep: sleeping moves the clock, so waits cost no time."""

    def __init__(self):
        self.now = time.time()
        self.slept = []

    def clock(self):
        return self.now

    def sleep(self, seconds):
        self.slept.append(seconds)
        self.now += seconds


@pytest.fixture
def client(api):
    fake_time = FakeTime()
    with HelpScoutClient(
        app_id="app",
        app_secret="secret",
        api_base_url=API,
        transport=api.transport(),
        sleep=fake_time.sleep,
        clock=fake_time.clock,
        max_retries=3,
    ) as client:
        client.fake_time = fake_time
        yield client


def test_full_sync_equals_help_scout(api, client):
    report = SyncEngine(client).run(full=True)
    listed = [q for p, q in api.queries if p == "/conversations"]
    # Open work first, newest first: 60 active conversations with threads in 3 requests.
    assert [(q["status"], q["sortOrder"], q.get("page", "1")) for q in listed[:4]] == [
        ("active", "desc", "1"),
        ("active", "desc", "2"),
        ("active", "desc", "3"),
        ("pending", "desc", "1"),
    ]
    # Then what changed meanwhile, and the history (nothing closed or spam here).
    assert {q["status"] for q in listed[4:]} == {"all", "closed", "spam"}
    assert not any(p.endswith("/threads") for m, p, s in api.log)
    # The client's counters reach the summary (the token request is counted apart).
    assert report.requests == len([e for e in api.log if e[1] != "/oauth2/token"])
    assert local_state() == remote_state(api)
    assert Thread.objects.count() == 120


def test_incremental_picks_up_new_updated_moved_retagged_and_deleted(api, client):
    SyncEngine(client).run(full=True)
    vip = next(iter(api.tags))
    new = api.add_conversation(mailbox=2)
    api.update(1001, subject="Edited", status="closed")
    api.add_thread(1002, "a note")
    api.update(1003, mailbox=2)
    api.update(1004, tags=[])
    api.update(1005, tags=[vip, api.add_tag("fresh")])
    del api.conversations[1006]

    report = SyncEngine(client).run(["tags", "customers", "conversations"])
    assert report.resources["conversations"].mode == "incremental"
    assert local_state() == remote_state(api)
    assert Conversation.objects.get(pk=new).mailbox_id == 2
    assert Conversation.objects.get(pk=1001).subject == "Edited"
    assert Conversation.objects.get(pk=1003).mailbox_id == 2
    gone = Conversation.objects.get(pk=1006)
    assert gone.is_deleted and gone.threads.count() == 2  # marked, kept
    # Incremental: only what changed was listed, plus one count per mailbox and the
    # reconciliation pass of the mailbox that lost a conversation.
    assert report.total.deleted == 1


def test_kill_and_resume(api, client):
    class Killed(BaseException):
        """Stands for kill -9: nothing after it runs, the page's transaction rolls back."""

    def kill(resource, pages_done):
        if resource.startswith("conversations") and pages_done == 2:
            raise Killed

    with pytest.raises(Killed):
        # One commit per page, so the assertions below know where the kill landed
        # (grouped commits are tested in test_engine_paging.py).
        SyncEngine(client, page_hook=kill, commit_interval=0).run(full=True)
    assert SyncState.objects.get(resource="conversations", mailbox_id=0).cursor["pages_done"] == 1
    assert Conversation.objects.count() == 25
    api.update(1030, subject="changed while we were down")

    report = SyncEngine(client).run(full=True)
    assert report.resources["conversations"].resumed_from_page == 2
    assert local_state() == remote_state(api)
    ids = list(Thread.objects.values_list("id", flat=True))
    assert len(ids) == len(set(ids)) == 120


def test_429_storm_mid_sync_is_waited_out(api, client):
    def storm(resource, pages_done):
        if resource == "conversations (open work)" and pages_done == 1:
            api.faults.extend([429, 429, 429])

    report = SyncEngine(client, page_hook=storm).run(full=True)
    assert local_state() == remote_state(api)
    assert report.rate_limit_waits >= 3
    assert sum(client.fake_time.slept) >= 3  # Retry-After: 1, three times
    assert sum(1 for entry in api.log if entry[2] == 429) == 3


def test_5xx_mid_sync_is_retried(api, client):
    def fail(resource, pages_done):
        if resource == "conversations (open work)" and pages_done == 1:
            api.faults.extend([503, 500])

    SyncEngine(client, page_hook=fail).run(full=True)
    assert local_state() == remote_state(api)


def test_persistent_5xx_stops_the_run_and_the_next_run_resumes(api, client):
    def outage(resource, pages_done):
        if resource == "conversations (open work)" and pages_done == 1:
            api.faults.extend([500] * 10)

    with pytest.raises(ServerError):
        SyncEngine(client, page_hook=outage).run(full=True)
    state = SyncState.objects.get(resource="conversations", mailbox_id=0)
    # Stopped part-way (the page in flight when the outage began may have been the
    # prefetched next one), with the error recorded and the cursor kept.
    assert state.cursor["pages_done"] in (1, 2) and "ServerError" in state.last_error
    api.faults.clear()
    SyncEngine(client).run(full=True)
    assert local_state() == remote_state(api)
    assert SyncState.objects.get(resource="conversations", mailbox_id=0).last_error == ""


def test_token_expiry_mid_sync(api, client):
    def expire(resource, pages_done):
        if resource == "conversations (open work)" and pages_done == 1:
            api.tokens.clear()

    SyncEngine(client, page_hook=expire).run(full=True)
    assert local_state() == remote_state(api)
    assert any(status == 401 for _, _, status in api.log)
    assert sum(1 for _, path, _ in api.log if path == "/oauth2/token") == 2
