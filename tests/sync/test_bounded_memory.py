"""A full sync's bookkeeping stays bounded as the account grows, and still counts right.

Repeats (items a page carries again because keyset paging restarts one second early) are
recognised from the last items written only; the deletion sweep reads unseen ids in
chunks. Both are tested with tiny bounds, so a run crosses them many times.
"""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from helpscout_integration.models import Conversation
from helpscout_integration.sync import engine as engine_module
from helpscout_integration.sync import stats
from helpscout_integration.sync.engine import SyncEngine

from .fake_helpscout import FakeHelpScout, iso

pytestmark = pytest.mark.django_db


#: The fake dates items now; history is older than the run's overlap window, so the run's
#: incremental passes list none of it again and the counts below are the backfill's own.
HOUR = timedelta(hours=1)


def _history(count):
    """An account of closed conversations only: a full sync lists them in its backfill,
    oldest first with the keyset cursor (the open work is empty)."""
    fake = FakeHelpScout()
    fake.add(count)
    for row in fake.conversations_store.values():
        row["status"] = "closed"
        # History: an hour old, before the run's own checkpoint.
        row["userUpdatedAt"] = iso(datetime.fromisoformat(row["userUpdatedAt"]) - HOUR)
    return fake


def _share_seconds_at_page_ends(fake, pages, page_size=25, shared=3):
    """Give the last `shared` items of each of the first `pages - 1` pages one
    modification second, so the next request (since that second minus one) lists all
    `shared` of them again."""
    ordered = sorted(fake.conversations_store.values(), key=lambda row: row["id"])
    for boundary in range(1, pages):
        last = boundary * page_size  # id of the page's last item (ids start at 1)
        second = datetime.fromisoformat(ordered[last - 1]["userUpdatedAt"])
        for cid in range(last - shared + 1, last + 1):
            fake.conversations_store[cid]["userUpdatedAt"] = iso(second)


@pytest.mark.parametrize("capacity", [None, 30])
def test_repeats_are_counted_with_a_bounded_memory(monkeypatch, capacity):
    if capacity:
        monkeypatch.setattr(stats, "RECENT_KEYS", capacity)
    fake = _history(200)
    _share_seconds_at_page_ends(fake, pages=8)
    report = SyncEngine(fake).run(["conversations"], full=True)
    rr = report.resources["conversations"]
    # After a boundary the next request starts one second before the page's last item
    # and lists the items of that second again; repeats shift the later pages, so the
    # exact count is the listing's (exact for one boundary: the next test).
    assert rr.repeats > 0
    assert rr.distinct == 200 == rr.result.created
    assert rr.items == 200 + rr.repeats
    assert Conversation.objects.count() == 200
    if capacity:
        assert len(rr.written) <= 2 * capacity


def test_the_repeat_count_is_exact_when_one_boundary_shares_a_second():
    fake = _history(40)
    _share_seconds_at_page_ends(fake, pages=2, shared=3)
    engine = SyncEngine(fake)
    rr = engine.run(["conversations"], full=True).resources["conversations"]
    assert (rr.items, rr.repeats, rr.distinct, rr.result.created) == (43, 3, 40, 40)


class RecordingEngine(SyncEngine):
    """Records each conversation the sweep confirms; `confirm` decides whether the real
    confirmation runs (a 404 marks it deleted) or the row is left as it was."""

    def __init__(self, *args, confirm=lambda cid: True, **kwargs):
        super().__init__(*args, **kwargs)
        self.confirmed: list[int] = []
        self.confirm = confirm

    def _confirm_conversation(self, conversation_id, rr):
        self.confirmed.append(conversation_id)
        if self.confirm(conversation_id):
            super()._confirm_conversation(conversation_id, rr)


def _mirror(count):
    fake = FakeHelpScout()
    fake.add(count)
    SyncEngine(fake).run(["conversations"], full=True)
    return fake


def test_the_sweep_confirms_each_unseen_conversation_once_across_chunks(monkeypatch):
    monkeypatch.setattr(engine_module, "SWEEP_CHUNK", 3)
    fake = _mirror(30)
    gone = [2, 3, 4, 5, 6, 7, 11, 12, 13, 20, 29, 30]  # runs longer than a chunk, and edges
    for cid in gone:
        del fake.conversations_store[cid]
    engine = RecordingEngine(fake)
    report = engine.run(["conversations"], full=True)
    assert engine.confirmed == gone  # once each, in id order; none that was listed
    assert report.total.deleted == len(gone)
    assert set(Conversation.objects.filter(is_deleted=True).values_list("id", flat=True)) == set(
        gone
    )


def test_the_sweep_is_not_fooled_by_rows_that_stay_unseen_or_change_meanwhile(monkeypatch):
    """Some confirmations leave their row matching the filter (here: skipped), one row of
    a later chunk is written meanwhile (as a webhook would): each unseen id is confirmed
    once, the one written meanwhile not at all, and the sweep ends."""
    monkeypatch.setattr(engine_module, "SWEEP_CHUNK", 4)
    fake = _mirror(40)
    unseen = list(range(5, 36))
    for cid in unseen:
        del fake.conversations_store[cid]
    written_meanwhile = 33

    def confirm(cid):
        if cid == unseen[0]:
            Conversation.objects.filter(pk=written_meanwhile).update(
                synced_at=timezone.now() + timedelta(seconds=1)
            )
        return cid % 2 == 1  # even ids: left as they were, still "unseen"

    engine = RecordingEngine(fake, confirm=confirm)
    engine.run(["conversations"], full=True)
    assert engine.confirmed == [cid for cid in unseen if cid != written_meanwhile]
    assert not Conversation.objects.get(pk=written_meanwhile).is_deleted
