"""Saved replies offered in the reply form, read from the sandbox through the client."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from helpscout_integration.admin.operations import refresh_conversation
from helpscout_integration.admin.saved_replies import html_to_text
from helpscout_integration.client import HelpScoutClient
from helpscout_integration.sandbox.toolkit_records import records_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def hs(helpscout_sandbox):
    sb = helpscout_sandbox
    mailbox = sb.create_mailbox(name="Support")
    records = records_for(sb.store)
    sb.replies = {
        "refund": records.add_saved_reply(mailbox["id"], "Refund", "Hi,<br />Refunded &amp; done."),
        "chat": records.add_saved_reply(mailbox["id"], "Chat hello", "", "Hello!"),
    }
    made = sb.create_conversation(mailbox_id=mailbox["id"], customer_email="cleo@example.com")
    with HelpScoutClient.from_settings() as client:
        refresh_conversation(client, made["id"])
    sb.cid = made["id"]
    cache.clear()
    return sb


@pytest.fixture
def ada(staff_user):
    client = Client()
    client.force_login(staff_user("view_conversation", "reply_conversation"))
    return client


def list_url(cid):
    return reverse("admin:helpscout_integration_conversation_saved_replies", args=[cid])


def saved_reply_calls(sb):
    return [p for m, p, _ in sb.request_log if p.endswith("/saved-replies")]


def test_the_list_hides_chat_only_replies_and_is_cached_until_refreshed(hs, ada):
    body = ada.get(list_url(hs.cid)).json()
    assert [r["name"] for r in body["saved_replies"]] == ["Refund"]
    ada.get(list_url(hs.cid))
    assert len(saved_reply_calls(hs)) == 1  # the second answer came from the cache
    records_for(hs.store).add_saved_reply(min(hs.store.mailboxes), "Apology", "Sorry!")
    assert [r["name"] for r in ada.get(list_url(hs.cid)).json()["saved_replies"]] == ["Refund"]
    refreshed = ada.get(list_url(hs.cid) + "?refresh=1").json()
    assert [r["name"] for r in refreshed["saved_replies"]] == ["Apology", "Refund"]
    assert len(saved_reply_calls(hs)) == 2


def test_a_chosen_reply_comes_back_as_plain_text(hs, ada):
    url = reverse(
        "admin:helpscout_integration_conversation_saved_reply",
        args=[hs.cid, hs.replies["refund"].id],
    )
    assert ada.get(url).json() == {"name": "Refund", "text": "Hi,\nRefunded & done."}


def test_the_reply_form_offers_the_picker(hs, ada):
    page = ada.get(reverse("admin:helpscout_integration_conversation_change", args=[hs.cid]))
    text = page.content.decode()
    assert 'id="hs-saved-replies-reply"' in text and list_url(hs.cid) in text


def test_without_reply_permission_no_saved_replies(hs, staff_user):
    client = Client()
    client.force_login(staff_user("view_conversation"))
    assert client.get(list_url(hs.cid)).status_code == 403


def test_html_to_text():
    assert html_to_text("<p>Hi <b>there</b></p><p>Line<br>two &lt;3</p>") == (
        "Hi there\n\nLine\ntwo <3"
    )
