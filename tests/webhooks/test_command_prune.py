"""`helpscout_prune_webhook_events`: the event log is bounded, nothing unprocessed is lost."""

from __future__ import annotations

import io
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from helpscout_integration.models import WebhookEvent, WebhookRejection

pytestmark = pytest.mark.django_db


def make(status, days_old, **extra):
    event = WebhookEvent.objects.create(
        event_type="convo.created", body=b'{"id": 1}', status=status, **extra
    )
    WebhookEvent.objects.filter(pk=event.pk).update(
        received_at=timezone.now() - timedelta(days=days_old)
    )
    return event


def prune(*args):
    out = io.StringIO()
    call_command("helpscout_prune_webhook_events", *args, stdout=out)
    return out.getvalue()


def remaining():
    return sorted(WebhookEvent.objects.values_list("status", "received_at__date"))


@pytest.fixture
def log():
    return {
        "old_processed": make("processed", 40),
        "old_ignored": make("ignored", 31),
        "old_failed": make("failed", 40),
        "old_received": make("received", 90),
        "new_processed": make("processed", 5),
    }


def test_default_retention_deletes_old_processed_and_ignored_only(log):
    out = prune()
    assert "Deleted 2 webhook event(s) (processed, ignored)" in out
    kept = set(WebhookEvent.objects.values_list("pk", flat=True))
    assert kept == {log["old_failed"].pk, log["old_received"].pk, log["new_processed"].pk}


def test_include_failed_and_an_explicit_age(log):
    prune("--older-than", "35d", "--include-failed")
    kept = set(WebhookEvent.objects.values_list("pk", flat=True))
    # ignored at 31 days is younger than 35 days; received is never pruned
    assert kept == {log["old_ignored"].pk, log["old_received"].pk, log["new_processed"].pk}


def test_the_setting_is_the_default_age(log, settings):
    settings.HELPSCOUT = {"WEBHOOK_RETENTION": "3d"}
    prune()
    kept = set(WebhookEvent.objects.values_list("pk", flat=True))
    assert kept == {log["old_failed"].pk, log["old_received"].pk}


def test_dry_run_deletes_nothing(log):
    assert "Would delete 2 webhook event(s)" in prune("--dry-run")
    assert WebhookEvent.objects.count() == 5


def test_batches_are_small_transactions_and_never_load_bodies(settings):
    for _ in range(7):
        make("processed", 60)
    big = make("processed", 60)
    WebhookEvent.objects.filter(pk=big.pk).update(body=b"x" * 200_000)
    with CaptureQueriesContext(connection) as queries:
        out = prune("--batch-size", "3", "-v", "2")
    assert "Deleted 8 webhook event(s)" in out
    assert out.count("deleted so far") == 3  # 3 + 3 + 2
    assert not WebhookEvent.objects.exists()
    selects = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith("SELECT")]
    assert not any('"body"' in sql for sql in selects), "bodies are never read to delete them"


def test_a_duplicate_keeps_its_row_when_its_original_is_pruned():
    original = make("processed", 60)
    duplicate = make("failed", 60, duplicate_of=original)
    prune()
    duplicate.refresh_from_db()
    assert duplicate.duplicate_of_id is None


def test_an_event_replayed_between_selection_and_delete_is_kept(monkeypatch):
    """A replay (admin action, `helpscout_webhook replay`) sets an old event back to
    `received` while prune runs: it is to be processed again, so prune must not delete it
    even though it was old-and-done when prune selected its batch."""
    from helpscout_integration.management.commands import helpscout_prune_webhook_events as cmd

    replayed, done = make("processed", 60), make("processed", 60)
    real_atomic = cmd.transaction.atomic

    def replay_then_atomic(*args, **kwargs):
        # Runs after the batch's ids were selected, just before they are deleted.
        WebhookEvent.objects.filter(pk=replayed.pk).update(status="received")
        return real_atomic(*args, **kwargs)

    monkeypatch.setattr(cmd, "transaction", SimpleNamespace(atomic=replay_then_atomic))
    out = prune()
    assert "Deleted 1 webhook event(s)" in out
    assert list(WebhookEvent.objects.values_list("pk", "status")) == [(replayed.pk, "received")]
    assert not WebhookEvent.objects.filter(pk=done.pk).exists()


def test_old_refused_delivery_counts_go_too():
    today = timezone.localdate()
    for days in (0, 40):
        WebhookRejection.objects.create(
            day=today - timedelta(days=days), reason="too_large", count=2, last_at=timezone.now()
        )
    prune()
    assert list(WebhookRejection.objects.values_list("day", flat=True)) == [today]


@pytest.mark.parametrize("age", ["soon", "0d", "-3"])
def test_a_bad_age_is_a_clear_error(age):
    with pytest.raises(CommandError, match="--older-than"):
        prune("--older-than", age)
