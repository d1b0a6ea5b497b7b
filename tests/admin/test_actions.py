"""Conversation actions from the admin, with the sandbox as Help Scout.

Each action must reach Help Scout, then show Help Scout's answer in the mirror; be
refused without its permission; and on a Help Scout failure keep what staff typed and
change nothing locally.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from helpscout_integration.admin.operations import refresh_conversation
from helpscout_integration.client import HelpScoutClient
from helpscout_integration.models import Conversation, Thread
from helpscout_integration.sync.upsert import upsert_agents

pytestmark = pytest.mark.django_db

ALL_ACTION_PERMS = (
    "view_conversation",
    "reply_conversation",
    "note_conversation",
    "change_status_conversation",
    "assign_conversation",
    "tag_conversation",
)


@pytest.fixture
def hs(helpscout_sandbox):
    """A sandbox with one conversation, mirrored locally, and two Help Scout users."""
    sb = helpscout_sandbox
    mailbox = sb.create_mailbox(name="Support", email="support@example.com")
    ada = sb.create_user(first_name="Ada", last_name="Agent", email="ada@example.com")
    bob = sb.create_user(first_name="Bob", last_name="Backup", email="bob@example.com")
    conversation = sb.create_conversation(
        mailbox_id=mailbox["id"],
        customer_email="cleo@example.com",
        subject="Refund please",
        tags=["billing"],
        threads=[{"type": "customer", "text": "I was charged twice."}],
    )
    with HelpScoutClient.from_settings() as client:
        upsert_agents(list(client.users.list()))
        refresh_conversation(client, conversation["id"])
    sb.ids = {"conversation": conversation["id"], "ada": ada["id"], "bob": bob["id"]}
    return sb


@pytest.fixture
def ada_client(staff_user):
    """Logged in as a staff member whose email matches Help Scout user Ada (and who may
    view customers, so the confirmation names the customer's email)."""
    client = Client()
    client.force_login(staff_user(*ALL_ACTION_PERMS, "view_customer", email="ada@example.com"))
    return client


def url(name, conversation_id):
    return reverse(f"admin:helpscout_integration_conversation_{name}", args=[conversation_id])


def writes(sb):
    return [(m, p) for m, p, _status in sb.request_log if m in ("POST", "PUT", "PATCH", "DELETE")
            and not p.endswith("/oauth2/token")]  # fmt: skip


def test_the_confirmation_names_no_email_without_view_customer(hs, staff_user):
    client = Client()
    client.force_login(staff_user(*ALL_ACTION_PERMS, email="ada@example.com"))

    response = client.post(url("reply", hs.ids["conversation"]), {"reply-text": "Hi"})

    page = response.content.decode()
    assert "Send reply" in page and "emailed to the customer" in page
    assert "cleo@example.com" not in page


def test_reply_asks_for_confirmation_then_reaches_help_scout_and_the_mirror(hs, ada_client):
    cid = hs.ids["conversation"]
    response = ada_client.post(url("reply", cid), {"reply-text": "We refunded you.\nSorry!"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Send reply" in page and "We refunded you." in page and "cleo@example.com" in page
    assert writes(hs) == []  # nothing sent before confirmation

    response = ada_client.post(
        url("reply", cid),
        {"reply-text": "We refunded you.\nSorry!", "reply-status": "closed", "confirmed": "yes"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "admin:helpscout_integration_conversation_change", args=[cid]
    )
    remote = hs.get_conversation(cid)
    remote_threads = remote["_embedded"]["threads"]
    reply = [t for t in remote_threads if "We refunded you." in (t.get("body") or "")]
    assert len(reply) == 1
    assert reply[0]["createdBy"]["id"] == hs.ids["ada"]  # as the matching agent
    assert remote["status"] == "closed"

    local = Thread.objects.get(conversation_id=cid, body__contains="We refunded you.")
    assert local.type == "message"
    assert Conversation.objects.get(pk=cid).status == "closed"
    page = ada_client.get(response["Location"]).content.decode()
    assert "Reply sent" in page and "We refunded you." in page


def test_back_to_editing_keeps_the_text_and_sends_nothing(hs, ada_client):
    cid = hs.ids["conversation"]
    response = ada_client.post(url("reply", cid), {"reply-text": "Draft text", "edit": "1"})
    assert response.status_code == 200
    assert "Draft text</textarea>" in response.content.decode()
    assert writes(hs) == []


def test_note_status_assign_and_tags(hs, ada_client):
    cid = hs.ids["conversation"]

    assert ada_client.post(url("note", cid), {"note-text": "Checked Stripe."}).status_code == 302
    assert Thread.objects.filter(conversation_id=cid, type="note", body__contains="Checked Stripe")
    assert any("Checked Stripe." in (t.get("body") or "")
               for t in hs.get_conversation(cid)["_embedded"]["threads"])  # fmt: skip

    assert ada_client.post(url("status", cid), {"status-status": "pending"}).status_code == 302
    assert hs.get_conversation(cid)["status"] == "pending"
    assert Conversation.objects.get(pk=cid).status == "pending"

    bob = hs.ids["bob"]
    assert ada_client.post(url("assign", cid), {"assign-assignee": bob}).status_code == 302
    assert hs.get_conversation(cid)["assignee"]["id"] == bob
    assert Conversation.objects.get(pk=cid).assignee_id == bob
    assert ada_client.post(url("assign", cid), {"assign-assignee": ""}).status_code == 302
    assert not hs.get_conversation(cid).get("assignee")
    assert Conversation.objects.get(pk=cid).assignee_id is None

    response = ada_client.post(
        url("tags", cid), {"tags-add": "vip, refund", "tags-remove": "billing"}
    )
    assert response.status_code == 302
    remote_tags = {t["tag"] for t in hs.get_conversation(cid)["tags"]}
    assert remote_tags == {"vip", "refund"}
    local_tags = set(Conversation.objects.get(pk=cid).tags.values_list("name", flat=True))
    assert local_tags == {"vip", "refund"}


def test_tags_added_in_help_scout_since_the_last_sync_are_kept(hs, ada_client):
    cid = hs.ids["conversation"]
    hs.update_conversation(cid, tags=["billing", "added-elsewhere"])  # mirror not told
    ada_client.post(url("tags", cid), {"tags-add": "vip"})
    assert {t["tag"] for t in hs.get_conversation(cid)["tags"]} == {
        "billing", "added-elsewhere", "vip",
    }  # fmt: skip


@pytest.mark.parametrize(
    "action,data,perm",
    [
        ("reply", {"reply-text": "x", "confirmed": "yes"}, "reply_conversation"),
        ("note", {"note-text": "x"}, "note_conversation"),
        ("status", {"status-status": "closed"}, "change_status_conversation"),
        ("assign", {"assign-assignee": ""}, "assign_conversation"),
        ("tags", {"tags-add": "x"}, "tag_conversation"),
    ],
)
def test_staff_without_the_permission_is_refused(hs, staff_user, action, data, perm):
    cid = hs.ids["conversation"]
    others = [p for p in ALL_ACTION_PERMS if p != perm]
    client = Client()
    client.force_login(staff_user(*others, email="ada@example.com"))
    assert client.post(url(action, cid), data).status_code == 403
    assert client.get(url(action, cid)).status_code == 403
    assert writes(hs) == []
    page = client.get(
        reverse("admin:helpscout_integration_conversation_change", args=[cid])
    ).content.decode()
    assert f'id="hs-action-{action}"' not in page


def test_acting_needs_the_view_permission_too(hs, staff_user):
    client = Client()
    client.force_login(staff_user("note_conversation", email="ada@example.com"))
    assert client.post(url("note", hs.ids["conversation"]), {"note-text": "x"}).status_code == 403
    assert writes(hs) == []


def test_actions_need_a_csrf_token(hs, staff_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff_user(*ALL_ACTION_PERMS, email="ada@example.com"))
    response = client.post(url("note", hs.ids["conversation"]), {"note-text": "x"})
    assert response.status_code == 403
    assert writes(hs) == []


def test_help_scout_5xx_shows_an_error_keeps_the_text_and_changes_nothing(hs, ada_client):
    cid = hs.ids["conversation"]
    before = list(Thread.objects.filter(conversation_id=cid).values_list("id", flat=True))
    hs.faults.fail_next(10, status=503)
    response = ada_client.post(
        url("reply", cid), {"reply-text": "Typed with care", "confirmed": "yes"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "HTTP 503" in page
    # a 5xx on a POST may still have been applied: staff are told to check before resending,
    # and nothing claims that nothing was changed
    assert "Unknown whether Help Scout applied it" in page and "Check the conversation" in page
    assert "nothing was changed" not in page.lower()
    assert "Typed with care</textarea>" in page
    hs.faults.clear()
    assert list(Thread.objects.filter(conversation_id=cid).values_list("id", flat=True)) == before
    assert not any("Typed with care" in (t.get("body") or "")
                   for t in hs.get_conversation(cid)["_embedded"]["threads"])  # fmt: skip
    assert Conversation.objects.get(pk=cid).status == "active"


def test_a_refused_status_change_changes_nothing_locally(hs, ada_client):
    cid = hs.ids["conversation"]
    hs.faults.fail_next(1, status=400)
    response = ada_client.post(url("status", cid), {"status-status": "closed"})
    assert response.status_code == 200
    assert "Help Scout refused" in response.content.decode()
    assert Conversation.objects.get(pk=cid).status == "active"


def test_reply_without_a_matching_agent_or_default_is_a_clear_error(hs, staff_user):
    cid = hs.ids["conversation"]
    client = Client()
    client.force_login(staff_user(*ALL_ACTION_PERMS, email="nobody@example.com"))
    response = client.post(url("reply", cid), {"reply-text": "Hello", "confirmed": "yes"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "does not match a Help Scout user" in page and "DEFAULT_AGENT_ID" in page
    assert "Hello</textarea>" in page
    assert writes(hs) == []


def test_reply_falls_back_to_the_default_agent(hs, staff_user, settings):
    settings.HELPSCOUT = {**settings.HELPSCOUT, "DEFAULT_AGENT_ID": hs.ids["bob"]}
    cid = hs.ids["conversation"]
    client = Client()
    client.force_login(staff_user(*ALL_ACTION_PERMS, email="nobody@example.com"))
    response = client.post(url("reply", cid), {"reply-text": "From Bob", "confirmed": "yes"})
    assert response.status_code == 302
    reply = [t for t in hs.get_conversation(cid)["_embedded"]["threads"]
             if "From Bob" in (t.get("body") or "")]  # fmt: skip
    assert reply[0]["createdBy"]["id"] == hs.ids["bob"]


def test_invalid_form_shows_errors_without_calling_help_scout(hs, ada_client):
    cid = hs.ids["conversation"]
    response = ada_client.post(url("note", cid), {"note-text": "   "})
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    assert writes(hs) == []


def test_acting_on_a_merged_conversation_records_the_merge_and_says_where_it_went(hs, ada_client):
    """Help Scout answers writes to a merged id with 404 and Get with 301 + Location: the
    admin asks Get, marks the conversation merged and deleted, and mirrors the survivor."""
    cid = hs.ids["conversation"]
    survivor = hs.create_conversation(
        mailbox_id=min(hs.store.mailboxes),
        customer_email="cleo@example.com",
        subject="Refund please (again)",
    )["id"]
    hs.merge_conversations(cid, survivor)

    response = ada_client.post(url("status", cid), {"status-status": "closed"})

    assert response.status_code == 200
    page = response.content.decode()
    assert f"merged this conversation into #{survivor}" in page
    merged = Conversation.objects.get(pk=cid)
    assert merged.is_deleted and merged.merged_into_id == survivor
    mirrored = Conversation.objects.get(pk=survivor)
    assert not mirrored.is_placeholder
    assert mirrored.threads.count() == len(hs.get_conversation(survivor)["_embedded"]["threads"])
    assert hs.get_conversation(survivor)["status"] == "active"  # nothing was changed


def test_a_status_change_appears_on_the_timeline_as_a_quiet_line(hs, ada_client):
    """Help Scout records a status change as a `lineitem` thread; the refreshed mirror
    shows it as a one-line entry (no author header, no body box)."""
    cid = hs.ids["conversation"]
    assert ada_client.post(url("status", cid), {"status-status": "pending"}).status_code == 302

    item = Thread.objects.get(conversation_id=cid, type="lineitem")
    assert item.action_text.endswith("marked as Pending")
    page = ada_client.get(url("change", cid)).content.decode()
    start = page.index('class="hs-timeline"')
    timeline = page[start : page.index("</ol>", start)]
    entry = timeline[timeline.index(f'id="thread-{item.id}"') :]
    entry = entry[: entry.index("</li>")]
    assert 'class="hs-lineitem"' in timeline and "marked as Pending" in entry
    assert "hs-meta" not in entry and "hs-body" not in entry


def test_every_action_leaves_a_log_entry_in_the_history(hs, ada_client):
    from django.contrib.admin.models import CHANGE, LogEntry

    cid = hs.ids["conversation"]
    ada_client.post(url("reply", cid), {"reply-text": "Secret-ish text", "confirmed": "yes"})
    ada_client.post(url("note", cid), {"note-text": "Checked Stripe."})
    ada_client.post(url("status", cid), {"status-status": "pending"})
    ada_client.post(url("assign", cid), {"assign-assignee": hs.ids["bob"]})
    ada_client.post(url("tags", cid), {"tags-add": "vip", "tags-remove": "billing"})
    entries = list(
        LogEntry.objects.filter(object_id=str(cid))
        .order_by("pk")
        .values_list("action_flag", "change_message", "user__email")
    )
    assert [flag for flag, _m, _u in entries] == [CHANGE] * 5
    assert {user for _f, _m, user in entries} == {"ada@example.com"}
    messages = [m for _f, m, _u in entries]
    assert messages[0] == "Reply via Help Scout: Reply sent to the customer."
    assert messages[1] == "Add note via Help Scout: Note added."
    assert messages[2] == "Change status (pending) via Help Scout: Status changed to pending."
    assert messages[3].startswith("Assign (Bob") and "Conversation assigned." in messages[3]
    assert messages[4] == "Tags (+vip -billing) via Help Scout: Tags updated."
    assert not any("Secret-ish" in m or "Stripe" in m for m in messages)  # texts stay out
    history = ada_client.get(
        reverse("admin:helpscout_integration_conversation_history", args=[cid])
    ).content.decode()
    assert "Status changed to pending." in history


def test_a_refused_action_leaves_no_log_entry(hs, ada_client):
    from django.contrib.admin.models import LogEntry

    cid = hs.ids["conversation"]
    hs.faults.fail_next(1, status=400)
    ada_client.post(url("status", cid), {"status-status": "closed"})
    assert not LogEntry.objects.filter(object_id=str(cid)).exists()


def test_the_conversation_page_warns_before_typing_when_replies_would_be_refused(
    hs, staff_user, ada_client
):
    cid = hs.ids["conversation"]
    change = reverse("admin:helpscout_integration_conversation_change", args=[cid])
    stranger = Client()
    stranger.force_login(staff_user(*ALL_ACTION_PERMS, email="nobody@example.com"))
    page = stranger.get(change).content.decode()
    assert 'id="hs-cannot-write"' in page
    assert "nobody@example.com" in page and "does not match a Help Scout user" in page
    assert page.index('id="hs-cannot-write"') < page.index('id="hs-action-reply"')
    # Ada matches a Help Scout user: no warning.
    assert 'id="hs-cannot-write"' not in ada_client.get(change).content.decode()
