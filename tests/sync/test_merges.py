"""Merged conversations (Get answers 301) in full syncs against the sandbox."""

import io

import pytest
from django.core.management import call_command

from helpscout_integration.models import Conversation
from helpscout_integration.sandbox import Sandbox
from helpscout_integration.sync.engine import SyncEngine
from helpscout_integration.sync.fetch import fetch_conversation

from .mirror import local_state, remote_state

pytestmark = pytest.mark.django_db


@pytest.fixture
def small():
    with Sandbox(seed="large:60") as sandbox:
        yield sandbox


def test_full_sync_after_merges_marks_them_merged_and_ends_equal(small, make_client, settings):
    """The sweep's Get of each unlisted conversation answers 301: no longer an abort."""
    client = make_client(small)
    SyncEngine(client).run(full=True)
    ids = sorted(remote_state(small)["conversations"])
    small.merge_conversations(ids[0], ids[1])
    small.merge_conversations(ids[2], ids[3])
    small.merge_conversations(ids[3], ids[4])  # a survivor merged again: a chain

    settings.HELPSCOUT = small.helpscout_settings()
    out = io.StringIO()
    call_command("helpscout_sync", "--full", stdout=out)

    assert "Sync complete" in out.getvalue()
    assert local_state() == remote_state(small)
    for source, survivor in ((ids[0], ids[1]), (ids[2], ids[3]), (ids[3], ids[4])):
        row = Conversation.objects.get(pk=source)
        assert row.is_deleted and row.merged_into_id == survivor
    survivor = Conversation.objects.get(pk=ids[4])
    assert not survivor.is_deleted and survivor.merged_into_id is None
    remote_threads = {t["id"] for t in small.get_conversation(ids[4])["_embedded"]["threads"]}
    assert set(survivor.threads.values_list("id", flat=True)) == remote_threads


def test_fetching_a_merged_conversation_mirrors_the_survivor_it_never_had(small, make_client):
    client = make_client(small)
    ids = sorted(c.id for c in small.store.conversations.values())[:2]
    small.merge_conversations(ids[0], ids[1])

    outcome = fetch_conversation(client, ids[0], source="sync")

    assert outcome.status == "merged" and outcome.survivor_id == ids[1]
    merged = Conversation.objects.get(pk=ids[0])
    assert merged.is_deleted and merged.merged_into_id == ids[1]
    survivor = Conversation.objects.get(pk=ids[1])
    assert not survivor.is_placeholder and not survivor.is_deleted
