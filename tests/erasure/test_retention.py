"""MIRROR_RETENTION: old closed conversations lose their words, keep their facts."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from helpscout_integration.models import Conversation, Customer, Thread

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def _conversation(pk, status, closed_days_ago, body="Secret words"):
    customer = Customer.objects.get_or_create(id=1, defaults={"email": "c@example.com"})[0]
    closed = NOW - dt.timedelta(days=closed_days_ago)
    conversation = Conversation.objects.create(
        id=pk, status=status, subject=f"Subject {pk}", preview=body[:10], customer=customer,
        closed_at=closed if status == "closed" else None, updated_at=closed, thread_count=2,
        data={"id": pk, "preview": body},
    )  # fmt: skip
    for n in range(2):
        Thread.objects.create(
            id=pk * 10 + n, conversation=conversation, body=body, type="customer",
            data={"body": body}, created_at=closed,
        )  # fmt: skip
    return conversation


def _run(*args, **settings_value):
    out = io.StringIO()
    call_command("helpscout_apply_retention", *args, stdout=out)
    return out.getvalue()


def test_old_closed_conversations_lose_bodies_and_json_keep_metadata(settings):
    settings.HELPSCOUT = {**getattr(settings, "HELPSCOUT", {}), "MIRROR_RETENTION": "365d"}
    old = _conversation(1, "closed", 400)
    recent = _conversation(2, "closed", 30)
    open_old = _conversation(3, "active", 400)
    assert "Would trim 1 closed conversation(s) older than 365 day(s): 2" in _run("--dry-run")
    assert Thread.objects.filter(conversation=old).exclude(body="").count() == 2  # dry run
    assert "Trimmed 1 closed conversation(s)" in _run()
    old.refresh_from_db()
    assert (old.data, old.preview) == ({}, "")
    assert (old.subject, old.status, old.thread_count, old.customer_id) == (
        "Subject 1",
        "closed",
        2,
        1,
    )
    assert (
        list(Thread.objects.filter(conversation=old).values_list("body", "data")) == [("", {})] * 2
    )
    for kept in (recent, open_old):
        assert all(t.body == "Secret words" for t in Thread.objects.filter(conversation=kept))
    assert "Trimmed 0 closed conversation(s)" in _run()  # a rerun finds nothing new


def test_unset_retention_keeps_everything(settings):
    settings.HELPSCOUT = {}
    _conversation(1, "closed", 4000)
    assert "keeps everything" in _run()
    assert Thread.objects.exclude(body="").count() == 2


def test_a_bad_age_is_a_clear_error(settings):
    settings.HELPSCOUT = {"MIRROR_RETENTION": "forever"}
    with pytest.raises(CommandError, match="is not an age"):
        _run()
    from django.core import checks

    assert "helpscout.E032" in [e.id for e in checks.run_checks()]


def test_a_sync_of_the_same_version_does_not_refill_a_trimmed_conversation(settings):
    """Help Scout's copy is unchanged: a full sync listing it again writes nothing back.
    A newer version (the conversation changed at Help Scout) is written as usual."""
    from helpscout_integration.sync.upsert import upsert_conversations

    from ..sync.payloads import conversation as payload

    settings.HELPSCOUT = {"MIRROR_RETENTION": "365d"}
    early = "2019-01-01T00:00:00Z"
    old = payload(
        1,
        status="closed",
        threads=[11, 12],
        thread_times={11: early, 12: early},
        updated="2020-01-01T00:00:00Z",
        createdAt=early,
        closedAt="2020-01-01T00:00:00Z",
    )
    upsert_conversations([old])
    assert Thread.objects.exclude(body="").count() == 2
    _run()
    assert upsert_conversations([old]).written == 0
    assert Thread.objects.exclude(body="").count() == 0
    assert Conversation.objects.get(pk=1).data == {}
    old["userUpdatedAt"] = "2021-01-01T00:00:00Z"  # changed at Help Scout since
    assert upsert_conversations([old]).written == 1
