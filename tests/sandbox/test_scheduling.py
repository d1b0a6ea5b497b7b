"""Snooze and "send later" in the sandbox, through the client: Help Scout's shapes and
checks (DH/conversations/snooze/update, DH/conversations/threads/schedule/*)."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from helpscout_integration.client import HelpScoutClient
from helpscout_integration.exceptions import NotFoundError, ValidationError
from helpscout_integration.sandbox import Sandbox

_emails = itertools.count(1)


@pytest.fixture(scope="module")
def sb():
    with Sandbox(rate_limit_per_minute=None, write_burst=None, manual_clock=True) as sandbox:
        sandbox.create_user("Ann", "Agent")
        yield sandbox


@pytest.fixture
def client(sb):
    settings = sb.helpscout_settings()
    with HelpScoutClient(
        app_id=settings["APP_ID"], app_secret=settings["APP_SECRET"],
        api_base_url=sb.api_base_url, token_url=sb.token_url, **sb.client_options(),
    ) as made:  # fmt: skip
        yield made


@pytest.fixture
def cid(sb):
    return sb.create_conversation(customer_email=f"c{next(_emails)}@example.com")["id"]


def now(sb):
    return dt.datetime.fromtimestamp(sb.clock.now(), dt.UTC)


def test_snooze_shows_until_unsnoozed(sb, client, cid):
    until = now(sb) + dt.timedelta(hours=3)
    client.conversations.snooze(cid, until, unsnooze_on_customer_reply=True)
    shown = client.conversations.get(cid, embed=None)
    assert shown["snooze"]["snoozedUntil"] == until.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert shown["snooze"]["unsnoozeOnCustomerReply"] is True
    assert shown["nextEvent"]["time"] == shown["snooze"]["snoozedUntil"]
    client.conversations.unsnooze(cid)
    shown = client.conversations.get(cid, embed=None)
    assert "snooze" not in shown and "nextEvent" not in shown


def test_a_past_snooze_time_is_a_400(sb, client, cid):
    with pytest.raises(ValidationError) as caught:
        client.conversations.snooze(
            cid, now(sb) - dt.timedelta(minutes=1), unsnooze_on_customer_reply=False
        )
    assert caught.value.status_code == 400
    assert [e.path for e in caught.value.errors] == ["snoozedUntil"]
    with pytest.raises(ValidationError):
        client.conversations.snooze(
            cid, dt.datetime(2101, 1, 1, tzinfo=dt.UTC), unsnooze_on_customer_reply=False
        )


def test_a_customer_reply_wakes_the_snooze_when_asked(sb, client, cid):
    client.conversations.snooze(
        cid, now(sb) + dt.timedelta(days=1), unsnooze_on_customer_reply=True
    )
    client.conversations.customer_thread(
        cid, {"text": "any news?", "customer": {"email": "x@example.com"}}
    )
    assert "snooze" not in client.conversations.get(cid, embed=None)


def test_the_snooze_ends_when_its_time_comes(sb, client, cid):
    client.conversations.snooze(
        cid, now(sb) + dt.timedelta(hours=1), unsnooze_on_customer_reply=False
    )
    sb.clock.advance(3601)
    assert "snooze" not in client.conversations.get(cid, embed=None)


def draft_reply(sb, client, cid):
    return client.conversations.reply(
        cid, {"text": "Later!", "user": min(sb.store.users), "draft": True,
              "customer": {"id": sb.store.conversation(cid).customer_id}},
    )  # fmt: skip


def scheduled_thread(client, cid, thread_id):
    threads = client.conversations.get(cid)["_embedded"]["threads"]
    return next(t for t in threads if t["id"] == thread_id)


def test_send_later_then_cancel_then_send_now(sb, client, cid):
    thread_id = draft_reply(sb, client, cid)
    when = now(sb) + dt.timedelta(hours=2)
    client.threads.schedule(cid, thread_id, when, unschedule_on_customer_reply=True)
    thread = scheduled_thread(client, cid, thread_id)
    assert thread["state"] == "draft"
    assert thread["scheduled"]["scheduledFor"] == when.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert thread["scheduled"]["unscheduleOnCustomerReply"] is True
    assert (
        client.conversations.get(cid, embed=None)["nextEvent"]["time"]
        == (thread["scheduled"]["scheduledFor"])
    )
    client.threads.unschedule(cid, thread_id)
    thread = scheduled_thread(client, cid, thread_id)
    assert thread["state"] == "draft" and "scheduled" not in thread
    with pytest.raises(NotFoundError):
        client.threads.send_scheduled_now(cid, thread_id)  # not scheduled any more
    client.threads.schedule(cid, thread_id, when, unschedule_on_customer_reply=False)
    client.threads.send_scheduled_now(cid, thread_id)
    thread = scheduled_thread(client, cid, thread_id)
    assert thread["state"] == "published" and "scheduled" not in thread


def test_only_a_draft_reply_can_be_scheduled(sb, client, cid):
    published = client.conversations.reply(
        cid, {"text": "now", "user": min(sb.store.users),
              "customer": {"id": sb.store.conversation(cid).customer_id}},
    )  # fmt: skip
    with pytest.raises(ValidationError):
        client.threads.schedule(
            cid, published, now(sb) + dt.timedelta(hours=1), unschedule_on_customer_reply=False
        )
