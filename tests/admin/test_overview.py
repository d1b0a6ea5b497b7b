"""The overview page: sync health, webhook backlog, rate-limit waits and the status chart."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from helpscout_integration.admin.chart import build_status_chart
from helpscout_integration.models import SyncState, WebhookEvent

pytestmark = pytest.mark.django_db
URL = "admin:helpscout_integration_overview"


def test_overview_shows_sync_webhooks_rate_limits_and_chart(admin_client, mirror):
    now = timezone.now()
    SyncState.objects.create(
        resource="conversations",
        last_full_sync_at=now - dt.timedelta(days=2),
        last_incremental_sync_at=now,
        last_run_stats={"rate_limit_waits": 3, "rate_limit_wait_seconds": 4.5},
    )
    SyncState.objects.create(resource="customers", last_error="HTTP 500 boom",
                             last_run_stats={"rate_limit_waits": 1})  # fmt: skip
    WebhookEvent.objects.create(event_type="convo.created", body=b"{}", status="received")
    WebhookEvent.objects.create(event_type="convo.created", body=b"{}", status="failed",
                                error="no such mailbox")  # fmt: skip
    for status in ("active", "active", "closed"):
        mirror.conversation(status=status, created_at=now - dt.timedelta(days=1))
    mirror.conversation(status="pending", created_at=now - dt.timedelta(days=40))  # too old

    page = admin_client.get(reverse(URL)).content.decode()

    assert 'id="hs-webhooks-pending">1<' in page
    assert 'id="hs-webhooks-failed">1<' in page and "no such mailbox" in page
    assert 'id="hs-rate-limit-waits">4<' in page
    assert "HTTP 500 boom" in page and "never" in page  # customers never fully synced
    start = page.index('<svg class="hs-chart"')
    chart = page[start : page.index("</svg>", start)]
    assert "2 active, 0 pending, 1 closed, 0 spam" in chart  # the 40-day-old one is left out
    assert chart.count("<rect") == 2 + 4  # one bar with two segments + four legend swatches


def test_overview_shows_the_backfill_phase_progress_and_time_left(admin_client):
    now = timezone.now()
    SyncState.objects.create(resource="conversations", checkpoint=now)
    SyncState.objects.create(
        resource="conversations.backfill",
        cursor={
            "mode": "full",
            "started_at": (now - dt.timedelta(hours=1)).isoformat(),
            "phase": "pages",
            "listings": ["closed", "spam"],
            "items_done": 13_000,
            "remaining": 24_000,
            "rate_since": (now - dt.timedelta(minutes=30)).isoformat(),
            "items_at_rate_since": 1_000,  # 12,000 in 30 minutes: 400 a minute
            "owner": "worker-1:4242",
            "lease_until": (now + dt.timedelta(minutes=2)).isoformat(),
        },
    )
    page = admin_client.get(reverse(URL)).content.decode()
    start = page.index("conversations.backfill")
    row = " ".join(page[start : page.index("</tr>", start)].split())
    assert "history backfill</strong> (closed, then spam)" in row
    assert "13000 done, 24000 to go, 400/min, about 1 h 00 min left" in row
    assert "running in worker-1:4242" in row


def test_overview_says_a_stopped_run_resumes_with_the_next_sync(admin_client):
    SyncState.objects.create(
        resource="conversations",
        cursor={"mode": "full", "started_at": timezone.now().isoformat(), "phase": "open",
                "listings": ["active", "pending"], "items_done": 50, "remaining": 25},
    )  # fmt: skip
    page = " ".join(admin_client.get(reverse(URL)).content.decode().split())
    assert "open work</strong> (active, then pending): 50 done, 25 to go" in page
    assert "stopped; the next sync resumes it" in page


def test_overview_needs_a_view_permission(client, staff_user):
    client.force_login(staff_user())
    assert client.get(reverse(URL)).status_code == 403
    client.force_login(staff_user("view_webhookevent"))
    page = client.get(reverse(URL)).content.decode()
    assert "hs-webhooks-pending" in page and "hs-status-chart" not in page


def test_chart_scales_bars_to_a_round_axis():
    today = dt.date(2026, 3, 30)
    counts = {(today, "active"): 7, (today, "closed"): 3, (today - dt.timedelta(days=1), "spam"): 1}
    chart = build_status_chart(counts, end=today, days=30)
    assert [v for _, v in chart.y_ticks] == [0, 2, 4, 6, 8, 10]
    tallest = sum(b.height for b in chart.bars if b.title.startswith("Mar 30"))
    assert tallest == pytest.approx(chart.plot_bottom - chart.plot_top, abs=0.2)
    assert chart.total == 11
    assert chart.x_labels[-1][1] == "Mar 30"


def test_an_old_mirror_still_gets_a_chart_ending_at_its_newest_conversation(admin_client, mirror):
    old = dt.datetime(2024, 12, 31, 9, 0, tzinfo=dt.UTC)
    mirror.conversation(status="closed", created_at=old)
    mirror.conversation(status="active", created_at=old - dt.timedelta(days=3))
    mirror.conversation(status="active", created_at=old - dt.timedelta(days=45))  # outside
    page = admin_client.get(reverse(URL)).content.decode()
    assert "30 days up to Dec. 31, 2024" in page
    assert "1 active, 0 pending, 1 closed, 0 spam" in page


@pytest.mark.parametrize(
    "peak,ticks",
    [(0, [0, 1]), (3, [0, 1, 2, 3]), (13, [0, 5, 10, 15]), (240, [0, 50, 100, 150, 200, 250])],
)
def test_axis_ticks_are_round_and_evenly_spaced(peak, ticks):
    today = dt.date(2026, 3, 30)
    chart = build_status_chart({(today, "active"): peak}, end=today, days=30)
    assert [v for _, v in chart.y_ticks] == ticks


def test_overview_counts_refused_deliveries_per_day(admin_client, client, settings):
    """Bad signatures and oversized bodies are counted per day; nothing of them is kept."""
    from helpscout_integration.models import WebhookRejection

    settings.HELPSCOUT = {"WEBHOOK_SECRET": ["s3cret"], "WEBHOOK_MAX_BODY_BYTES": 100}
    url = reverse("helpscout:webhook")
    secret_body = b'{"subject": "TOP-SECRET-BODY"}'
    headers = {"HTTP_X_HELPSCOUT_EVENT": "convo.created"}
    for _ in range(3):
        client.post(url, secret_body, content_type="application/json", **headers)
    client.post(url, secret_body, content_type="application/json",
                HTTP_X_HELPSCOUT_SIGNATURE="bm9wZQ==", **headers)  # fmt: skip
    client.post(url, b"x" * 500, content_type="application/json", **headers)
    WebhookRejection.objects.create(
        day=timezone.localdate() - dt.timedelta(days=3),
        reason="too_large",
        count=7,
        last_at=timezone.now(),
    )

    assert not WebhookEvent.objects.exists()
    today = dict(
        WebhookRejection.objects.filter(day=timezone.localdate()).values_list("reason", "count")
    )
    assert today == {"missing_signature": 3, "invalid_signature": 1, "too_large": 1}
    page = admin_client.get(reverse(URL)).content.decode()
    table = page[page.index('id="hs-webhook-rejections"') :]
    table = table[: table.index("</table>")]
    assert "<td>3</td><td>1</td><td>1</td><td>5</td>" in table
    assert "<td>0</td><td>0</td><td>7</td><td>7</td>" in table
    assert "TOP-SECRET-BODY" not in page


def test_overview_warns_when_webhook_events_wait_over_a_minute(admin_client):
    event = WebhookEvent.objects.create(event_type="convo.created", body=b"{}",
                                        signature_valid=True)  # fmt: skip
    assert "hs-webhooks-stalled" not in admin_client.get(reverse(URL)).content.decode()
    WebhookEvent.objects.filter(pk=event.pk).update(
        received_at=timezone.now() - dt.timedelta(minutes=5)
    )
    page = admin_client.get(reverse(URL)).content.decode()
    assert 'id="hs-webhooks-stalled"' in page and "has waited 300 s" in page
