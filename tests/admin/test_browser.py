"""A staff member works a conversation in a real headless Chromium against the sandbox."""

from __future__ import annotations

import pytest

from helpscout_integration.admin.operations import refresh_conversation
from helpscout_integration.client import HelpScoutClient
from helpscout_integration.sync.upsert import upsert_agents
from tests.browser_support import artifact_path


@pytest.fixture
def conversation_in_mirror(transactional_db, helpscout_sandbox, django_user_model):
    """A sandbox conversation mirrored locally, and staff user Ada (an agent by email)."""
    sb = helpscout_sandbox
    mailbox = sb.create_mailbox(name="Support", email="support@example.com")
    sb.create_user(first_name="Ada", last_name="Agent", email="ada@example.com")
    conversation = sb.create_conversation(
        mailbox_id=mailbox["id"],
        customer_email="cleo@example.com",
        subject="Charged twice for March",
        threads=[{"type": "customer", "text": "Hi, I see two charges on my card."}],
    )
    with HelpScoutClient.from_settings() as client:
        upsert_agents(list(client.users.list()))
        refresh_conversation(client, conversation["id"])
    django_user_model.objects.create_superuser("ada", "ada@example.com", "correct horse")
    return conversation


@pytest.mark.browser
def test_staff_logs_in_opens_a_conversation_and_replies(
    conversation_in_mirror, helpscout_sandbox, live_server, browser_page
):
    sb, conversation = helpscout_sandbox, conversation_in_mirror
    page = browser_page

    page.goto(f"{live_server.url}/admin/login/?next=/admin/helpscout_integration/conversation/")
    page.fill("#id_username", "ada")
    page.fill("#id_password", "correct horse")
    page.click("input[type=submit]")
    page.click("text=Charged twice for March")
    page.wait_for_selector(".hs-timeline")
    assert "two charges on my card" in page.inner_text(".hs-timeline")
    page.screenshot(path=str(artifact_path("admin-conversation.png")), full_page=True)

    page.fill("#id_reply-text", "Sorry about that, the second charge is refunded.")
    page.click("#hs-action-reply input[type=submit]")
    page.wait_for_selector("input[name=confirmed]")
    page.screenshot(path=str(artifact_path("admin-reply-confirm.png")), full_page=True)
    page.click("input[name=confirmed]")

    page.wait_for_selector(".hs-timeline .hs-reply")
    reply = page.inner_text(".hs-timeline .hs-reply")
    assert "the second charge is refunded" in reply
    assert "Reply sent" in page.inner_text(".messagelist")
    page.screenshot(path=str(artifact_path("admin-reply-sent.png")), full_page=True)
    threads = sb.get_conversation(conversation["id"])["_embedded"]["threads"]
    assert any("second charge is refunded" in (t.get("body") or "") for t in threads)


@pytest.mark.browser
def test_overview_shows_a_backfill_in_flight(transactional_db, live_server, browser_page):
    import datetime as dt
    import re

    from django.contrib.auth import get_user_model
    from django.urls import reverse
    from django.utils import timezone

    from helpscout_integration.models import SyncState

    now = timezone.now()
    SyncState.objects.create(resource="conversations", checkpoint=now, last_incremental_sync_at=now)
    SyncState.objects.create(
        resource="conversations.backfill",
        cursor={
            "mode": "full",
            "started_at": (now - dt.timedelta(minutes=40)).isoformat(),
            "phase": "pages",
            "listings": ["closed", "spam"],
            "items_done": 36_000,
            "remaining": 840_000,
            "rate_since": (now - dt.timedelta(minutes=36)).isoformat(),
            "items_at_rate_since": 0,
            "owner": "worker-1:4242",
            "lease_until": (now + dt.timedelta(minutes=2)).isoformat(),
        },
    )
    get_user_model().objects.create_superuser("ada", "ada@example.com", "correct horse")
    page = browser_page
    page.set_viewport_size({"width": 1366, "height": 900})
    overview = reverse("admin:helpscout_integration_overview")
    page.goto(f"{live_server.url}/admin/login/?next={overview}")
    page.fill("#id_username", "ada")
    page.fill("#id_password", "correct horse")
    page.click("input[type=submit]")
    cell = page.locator("#hs-sync-table tr", has_text="conversations.backfill").locator(
        ".hs-sync-progress"
    )
    text = " ".join(cell.inner_text().split())
    # 36,000 in the 36 minutes before the page was built (and the seconds the login took).
    assert re.search(
        r"history backfill \(closed, then spam\): 36000 done, 840000 to go, "
        r"(99\d|1000)/min, about 14 h 0\d min left \(running in worker-1:4242\)",
        text,
    ), text
    box = cell.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 1366  # readable without scrolling
    page.screenshot(path=str(artifact_path("admin-overview-backfill.png")), full_page=True)
