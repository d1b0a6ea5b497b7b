"""Help Scout leaves `_embedded` out of an empty list page: the client, a full sync and the
webhook command must read that as "nothing", not fail (issue 15)."""

import io

import pytest
from django.core.management import call_command

from helpscout_integration.models import Conversation, Tag
from helpscout_integration.sandbox import Sandbox
from helpscout_integration.sync.engine import SyncEngine

pytestmark = pytest.mark.django_db


@pytest.fixture
def empty():
    """An account with one mailbox and one user, and nothing else."""
    with Sandbox() as sandbox:
        sandbox.create_mailbox("Support")
        sandbox.create_user("Ana", "Agent")
        yield sandbox


def test_empty_lists_have_no_embedded_and_the_client_yields_nothing(empty, make_client):
    client = make_client(empty)
    raw = client.request("GET", "/conversations", params={"status": "all"}).json()
    assert "_embedded" not in raw  # what third-party clients must cope with
    assert list(client.conversations.list(status="all")) == []
    assert list(client.tags.list()) == []
    assert list(client.webhooks.list()) == []


def test_a_full_sync_of_an_account_with_empty_lists_succeeds(empty, make_client, settings):
    report = SyncEngine(make_client(empty)).run(full=True)
    assert report.resources["conversations"].items == 0
    assert not Conversation.objects.exists() and not Tag.objects.exists()

    settings.HELPSCOUT = empty.helpscout_settings()
    out = io.StringIO()
    call_command("helpscout_webhook", "list", stdout=out)
    assert out.getvalue().strip() == "No webhooks."
