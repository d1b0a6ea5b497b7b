"""`helpscout_sync --full` makes the mirror equal to Help Scout, whatever state it found.

Rows are broken on purpose the ways issue 27 saw them broken (a tombstone Help Scout does
not confirm, a version frozen in the future, threads missing, a customer wrongly marked
deleted) and Help Scout changes meanwhile; one full sync must heal every one.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from helpscout_integration.models import Conversation, Customer, Tag, Thread
from helpscout_integration.sandbox import Sandbox
from helpscout_integration.sync.engine import SyncEngine

from .mirror import local_state, remote_state

pytestmark = pytest.mark.django_db

FAR_FUTURE = datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC)


@pytest.fixture
def synced(make_client):
    with Sandbox(seed="large:12", rate_limit_per_minute=None) as sandbox:
        client = make_client(sandbox)
        SyncEngine(client).run(full=True)
        assert local_state() == remote_state(sandbox)
        yield sandbox, client


def break_the_mirror(sandbox) -> dict[str, int]:
    """Corrupt rows as a replayed merge, an impossible time and a lost write would."""
    ids = sorted(Conversation.objects.filter(is_deleted=False).values_list("id", flat=True))
    tombstoned, frozen, thinned, survivor = ids[:4]
    Conversation.objects.filter(pk=tombstoned).update(
        is_deleted=True, deleted_at=timezone.now(), merged_into_id=survivor
    )
    Conversation.objects.filter(pk=frozen).update(
        hs_updated_at=FAR_FUTURE, updated_at=FAR_FUTURE, subject="frozen"
    )
    Thread.objects.filter(pk=Thread.objects.filter(conversation_id=thinned).first().pk).delete()
    customers = sorted(Customer.objects.values_list("id", flat=True))
    Customer.objects.filter(pk=customers[0]).update(is_deleted=True, synced_at=timezone.now())
    Customer.objects.filter(pk=customers[1]).update(
        hs_updated_at=FAR_FUTURE, email="frozen@example.com"
    )
    Tag.objects.filter(pk=Tag.objects.order_by("id").first().pk).update(
        hs_updated_at=FAR_FUTURE, name="frozen"
    )
    # Help Scout changes the frozen conversation: under a future version, no change landed.
    sandbox.update_conversation(frozen, subject="A genuine change")
    return {"tombstoned": tombstoned, "frozen": frozen}


def test_a_full_sync_heals_every_broken_row(synced):
    sandbox, client = synced
    broken = break_the_mirror(sandbox)
    assert local_state() != remote_state(sandbox)

    SyncEngine(client).run(full=True)

    assert local_state() == remote_state(sandbox)
    assert not Customer.objects.filter(is_deleted=True).exists()
    revived = Conversation.objects.get(pk=broken["tombstoned"])
    assert (revived.is_deleted, revived.merged_into_id, revived.deleted_at) == (False, None, None)
    healed = Conversation.objects.get(pk=broken["frozen"])
    assert healed.subject == "A genuine change"
    assert healed.hs_updated_at < timezone.now()


def test_the_command_heals_too(synced, settings):
    sandbox, _client = synced
    settings.HELPSCOUT = sandbox.helpscout_settings()
    break_the_mirror(sandbox)

    call_command("helpscout_sync", "--full", verbosity=0)

    assert local_state() == remote_state(sandbox)
