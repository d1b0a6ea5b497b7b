"""Snooze and send later from the conversation page, with the sandbox as Help Scout."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.admin.models import LogEntry
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from helpscout_integration.models import Conversation
from helpscout_integration.sandbox.scheduling import book_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def hs(sandbox_conversation):
    return sandbox_conversation(subject="Renewal")


@pytest.fixture
def ada(logged_in_staff):
    return logged_in_staff(
        "view_conversation", "snooze_conversation", "schedule_reply", email="ada@example.com"
    )


def url(name, cid):
    return reverse(f"admin:helpscout_integration_conversation_{name}", args=[cid])


def local_input(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_snooze_then_unsnooze(hs, ada):
    until = timezone.now() + dt.timedelta(days=2)
    response = ada.post(
        url("snooze", hs.cid),
        {"snooze-until": local_input(until), "snooze-wake_on_customer_reply": "on"},
    )
    assert response.status_code == 302
    snooze = book_for(hs.store).snoozes[hs.cid]
    assert abs(snooze.until - until.timestamp()) < 60 and snooze.wake_on_customer_reply
    page = ada.get(reverse("admin:helpscout_integration_conversation_change", args=[hs.cid]))
    text = page.content.decode()
    assert "Snoozed until" in text and "wakes on a customer reply" in text
    assert 'id="hs-action-unsnooze"' in text
    assert "Snoozed until" in LogEntry.objects.get().change_message
    listing = ada.get(reverse("admin:helpscout_integration_conversation_changelist"))
    assert 'class="hs-next" title="snoozed until' in listing.content.decode()

    assert ada.post(url("unsnooze", hs.cid), {}).status_code == 302
    assert hs.cid not in book_for(hs.store).snoozes
    assert "snooze" not in Conversation.objects.get(pk=hs.cid).data
    page = ada.get(reverse("admin:helpscout_integration_conversation_change", args=[hs.cid]))
    assert 'id="hs-action-unsnooze"' not in page.content.decode()


def test_a_past_snooze_time_is_refused_before_help_scout(hs, ada):
    past = timezone.now() - dt.timedelta(hours=1)
    response = ada.post(url("snooze", hs.cid), {"snooze-until": local_input(past)})
    assert "Choose a time in the future." in response.content.decode()
    assert not [p for m, p, _ in hs.request_log if p.endswith("/snooze")]


def test_send_later_then_send_now(hs, ada):
    when = timezone.now() + dt.timedelta(hours=5)
    response = ada.post(
        url("send_later", hs.cid),
        {"send_later-text": "Your renewal is done.", "send_later-scheduled_for": local_input(when)},
    )
    assert response.status_code == 302
    [(thread_id, schedule)] = book_for(hs.store).schedules.items()
    assert schedule.unschedule_on_customer_reply is False  # the box was left unticked
    page = ada.get(reverse("admin:helpscout_integration_conversation_change", args=[hs.cid]))
    text = page.content.decode()
    assert "scheduled to send" in text and 'id="hs-action-scheduled"' in text
    assert "Next event" in text

    response = ada.post(
        url("scheduled", hs.cid), {"scheduled-thread": thread_id, "scheduled-what": "send_now"}
    )
    assert response.status_code == 302
    assert thread_id not in book_for(hs.store).schedules
    assert thread_id not in book_for(hs.store).drafts  # published
    messages = [e.change_message for e in LogEntry.objects.order_by("pk")]
    assert messages[-1].startswith("Scheduled replies via Help Scout: Scheduled reply")


def test_cancel_keeps_the_draft(hs, ada):
    when = timezone.now() + dt.timedelta(hours=5)
    ada.post(
        url("send_later", hs.cid),
        {"send_later-text": "Later", "send_later-scheduled_for": local_input(when),
         "send_later-unschedule_on_customer_reply": "on"},
    )  # fmt: skip
    [thread_id] = book_for(hs.store).schedules
    ada.post(url("scheduled", hs.cid), {"scheduled-thread": thread_id, "scheduled-what": "cancel"})
    assert thread_id not in book_for(hs.store).schedules
    assert thread_id in book_for(hs.store).drafts
    page = ada.get(reverse("admin:helpscout_integration_conversation_change", args=[hs.cid]))
    assert "draft (not sent)" in page.content.decode()


def test_without_the_permissions_the_actions_are_refused(hs, staff_user):
    client = Client()
    client.force_login(staff_user("view_conversation"))
    when = local_input(timezone.now() + dt.timedelta(hours=1))
    assert client.post(url("snooze", hs.cid), {"snooze-until": when}).status_code == 403
    assert client.post(url("send_later", hs.cid), {}).status_code == 403
