"""`manage.py helpscout_sync` and the `sync_incremental` task."""

import io
import re

import pytest
from django.core.management import CommandError, call_command

from helpscout_integration.client import HelpScoutClient
from helpscout_integration.models import Conversation, SyncState

from .fake_api import API, FakeAPI

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(settings, monkeypatch):
    """Point the command's client (built from settings) at an in-memory Help Scout."""
    fake = FakeAPI()
    for n in range(30):
        fake.add_conversation(mailbox=1 + n % 2)
    settings.HELPSCOUT = {"APP_ID": "app", "APP_SECRET": "secret", "API_BASE_URL": API}
    real = HelpScoutClient.from_settings.__func__

    def from_settings(cls, **kwargs):
        return real(cls, transport=fake.transport(), sleep=lambda s: None, **kwargs)

    monkeypatch.setattr(HelpScoutClient, "from_settings", classmethod(from_settings))
    return fake


def test_full_sync_prints_plain_progress_lines_and_a_summary(api):
    out = io.StringIO()
    call_command("helpscout_sync", "--full", stdout=out)
    text = out.getvalue()
    # Plain lines (stdout is not a terminal), open work first.
    assert "conversations (open work): starting" in text
    assert "conversations (open work): 25/30" in text
    assert text.index("conversations (open work): done") < text.index("customers: starting")
    assert re.search(r"conversations \(full\): 30 listed: created 30, ", text)
    assert "Sync complete: created" in text and "rate-limit waits" in text
    assert Conversation.objects.filter(is_placeholder=False).count() == 30
    state = SyncState.objects.get(resource="conversations", mailbox_id=0)
    assert state.last_full_sync_at and state.checkpoint and state.cursor == {}


def test_incremental_by_default_after_the_first_run(api):
    call_command("helpscout_sync", stdout=io.StringIO())
    api.update(1001, subject="changed")
    out = io.StringIO()
    call_command("helpscout_sync", "--resource", "conversations", stdout=out)
    assert "conversations (incremental)" in out.getvalue()
    assert Conversation.objects.get(pk=1001).subject == "changed"


def test_resource_and_mailbox_options(api):
    call_command(
        "helpscout_sync", "--resource", "conversations", "--mailbox", "2", stdout=io.StringIO()
    )
    assert set(Conversation.objects.values_list("mailbox_id", flat=True)) == {2}
    assert SyncState.objects.filter(resource="conversations", mailbox_id=2).exists()
    assert not SyncState.objects.filter(resource="customers").exists()


def test_an_api_failure_is_a_clear_error_and_the_next_run_resumes(api):
    api.faults.extend([500] * 10)
    with pytest.raises(CommandError, match="Run the command again to resume"):
        call_command("helpscout_sync", "--resource", "conversations", stdout=io.StringIO())
    api.faults.clear()
    call_command("helpscout_sync", "--resource", "conversations", stdout=io.StringIO())
    assert Conversation.objects.count() == 30


def test_bad_since_is_a_clear_error():
    with pytest.raises(CommandError, match="ISO 8601"):
        call_command("helpscout_sync", "--since", "last tuesday")


def test_full_and_since_exclude_each_other(api):
    with pytest.raises(CommandError, match="exclude"):
        call_command("helpscout_sync", "--full", "--since", "2024-01-01T00:00:00Z")


def test_missing_credentials_are_a_clear_error(settings):
    settings.HELPSCOUT = {}
    with pytest.raises(CommandError, match="APP_ID"):
        call_command("helpscout_sync")


def test_sync_incremental_task(api):
    from helpscout_integration.sync.tasks import sync_incremental

    result = sync_incremental.enqueue()  # ImmediateBackend in tests: runs inline
    summary = result.return_value
    assert summary["created"] > 0 and summary["requests"] > 0
    assert summary["resources"]["conversations"]["created"] == 30
    assert Conversation.objects.count() == 30


def test_docs_resource_mirrors_docs_articles(settings):
    from helpscout_integration.models import DocsArticle
    from helpscout_integration.sandbox import Sandbox

    with Sandbox(seed="demo", docs_api_key="docs-key") as sandbox:
        settings.HELPSCOUT = sandbox.helpscout_settings()
        out = io.StringIO()
        call_command("helpscout_sync", "--resource", "docs", stdout=out)
    assert DocsArticle.objects.exists()
    assert re.search(r"docs \(full\): .*created [1-9]", out.getvalue())
