"""`convo.merged` retires a conversation only on Help Scout's word.

A merge body names candidates (conversations the mirror holds some of its threads under);
Help Scout's Get decides (301 to the survivor: merged; 404: deleted; 200: live, left
alone). The bodies here are the sandbox's own deliveries, recorded and then delivered to
our view in the orders a test chooses, as Help Scout may deliver them.
"""

from __future__ import annotations

import itertools
import json

import httpx
import pytest

from helpscout_integration.models import Conversation, Thread, WebhookEvent

from . import payloads
from .conftest import API, SECRET

pytestmark = pytest.mark.django_db

DEAD_URL = "http://127.0.0.1:9/helpscout/webhook/"  # deliveries are recorded, not received


@pytest.fixture
def recorded(deliver, helpscout_sandbox, settings):
    """The sandbox as Help Scout, its webhook deliveries recorded for the test to send."""
    settings.HELPSCOUT = {**helpscout_sandbox.helpscout_settings(), "WEBHOOK_SECRET": [SECRET]}
    helpscout_sandbox.register_webhook(DEAD_URL, SECRET)
    helpscout_sandbox.create_mailbox("Support")
    helpscout_sandbox.create_user("Ana", "Agent")
    return helpscout_sandbox


def deliveries(sandbox, since: int = 0) -> list[tuple[str, bytes]]:
    """(event, body) of each conversation event the sandbox sent, in order."""
    return [
        (d.event, d.body)
        for d in list(sandbox.webhook_deliveries)[since:]
        if d.event.startswith("convo.")
    ]


def new_conversation(sandbox, name: str) -> int:
    return sandbox.create_conversation(
        customer_email=f"{name}@example.com", subject=f"Case {name}"
    )["id"]


def assert_live(sandbox, conversation_id: int) -> None:
    row = Conversation.objects.get(pk=conversation_id)
    assert not row.is_deleted and row.merged_into_id is None
    remote = sandbox.get_conversation(conversation_id)["_embedded"]["threads"]
    assert set(row.threads.values_list("id", flat=True)) == {t["id"] for t in remote}


def assert_merged(conversation_id: int, survivor_id: int) -> None:
    row = Conversation.objects.get(pk=conversation_id)
    assert row.is_deleted and row.merged_into_id == survivor_id


def test_a_created_body_replayed_as_merged_never_retires_the_survivor(deliver, recorded):
    """The attack of issue 27: S's old `convo.created` bytes, replayed as `convo.merged`
    after S was merged into T, once marked T (live in Help Scout) merged into S."""
    sb = recorded
    source, survivor = new_conversation(sb, "s"), new_conversation(sb, "t")
    for event, body in deliveries(sb):
        deliver(event, body)
    (old_source_body,) = [body for event, body in deliveries(sb) if event == "convo.created"][:1]
    sb.merge_conversations(source, survivor)
    for event, body in deliveries(sb):
        if event == "convo.merged":
            deliver(event, body)

    assert deliver("convo.merged", old_source_body).status_code == 200

    assert_live(sb, survivor)
    assert_merged(source, survivor)
    assert set(WebhookEvent.objects.values_list("status", flat=True)) == {"processed"}


@pytest.mark.parametrize("order", list(itertools.permutations(range(3))))
def test_a_merge_chain_delivered_in_any_order_ends_as_help_scout_says(deliver, recorded, order):
    """Q into R, R into S, S into T: each merge's survivor is the next one's source, so
    late deliveries make survivors look like sources. Every order ends the same."""
    sb = recorded
    q, r, s, t = (new_conversation(sb, name) for name in "qrst")
    for event, body in deliveries(sb):
        deliver(event, body)
    before = len(sb.webhook_deliveries)
    sb.merge_conversations(q, r)
    sb.merge_conversations(r, s)
    sb.merge_conversations(s, t)
    merges = deliveries(sb, before)
    assert [event for event, _ in merges] == ["convo.merged"] * 3

    for index in order:
        assert deliver(*merges[index]).status_code == 200

    assert_live(sb, t)
    for source, survivor in ((q, r), (r, s), (s, t)):
        assert_merged(source, survivor)
    assert set(WebhookEvent.objects.values_list("status", flat=True)) == {"processed"}


def test_a_merge_body_without_the_merged_threads_still_retires_the_source(deliver, recorded):
    """Help Scout's merge bodies are reported to lack the merged threads: the survivor is
    fetched after the event, and the conversations its threads came from are asked about."""
    sb = recorded
    sb.webhook_options(merged_threads=False)
    source, survivor = new_conversation(sb, "s"), new_conversation(sb, "t")
    for event, body in deliveries(sb):
        deliver(event, body)
    before = len(sb.webhook_deliveries)
    sb.merge_conversations(source, survivor)
    ((event, body),) = deliveries(sb, before)
    moved = set(Thread.objects.filter(conversation_id=source).values_list("id", flat=True))
    assert not moved & {t["id"] for t in json.loads(body)["_embedded"]["threads"]}

    assert deliver(event, body).status_code == 200

    assert_merged(source, survivor)
    assert_live(sb, survivor)


# --- Help Scout cannot be asked, or says "live" ------------------------------------------


def _merge_body() -> dict:
    return payloads.conversation(
        1001, minutes=5, threads=[payloads.thread(10011), payloads.thread(10021)]
    )


@pytest.fixture
def two_mirrored(deliver):
    deliver("convo.created", payloads.conversation(1001, threads=[payloads.thread(10011)]))
    deliver("convo.created", payloads.conversation(1002, threads=[payloads.thread(10021)]))


def _source_untouched() -> None:
    source = Conversation.objects.get(pk=1002)
    assert not source.is_deleted and source.merged_into_id is None
    assert list(source.threads.values_list("id", flat=True)) == [10021]


@pytest.mark.parametrize(
    "answer",
    [
        httpx.Response(429, headers={"Retry-After": "120"}, json={"message": "slow down"}),
        httpx.ConnectError("Help Scout is unreachable"),
    ],
    ids=["rate-limited", "network"],
)
def test_a_merge_help_scout_cannot_confirm_is_retried_not_applied(
    deliver, api_settings, two_mirrored, answer
):
    route = api_settings.get(f"{API}/conversations/1002")
    if isinstance(answer, Exception):
        route.side_effect = answer
    else:
        route.return_value = answer

    assert deliver("convo.merged", _merge_body()).status_code == 200

    event = WebhookEvent.objects.get(event_type="convo.merged")
    assert event.status == "failed" and event.attempts == 1
    _source_untouched()
    assert Conversation.objects.get(pk=1001).threads.count() == 1  # nothing applied


def test_a_merge_without_api_credentials_waits_for_them(deliver, two_mirrored):
    assert deliver("convo.merged", _merge_body()).status_code == 200
    event = WebhookEvent.objects.get(event_type="convo.merged")
    assert event.status == "failed"
    assert "not configured" in event.error
    _source_untouched()


def test_a_candidate_help_scout_says_is_live_is_left_alone(deliver, api_settings, two_mirrored):
    api_settings.get(f"{API}/conversations/1002").respond(
        200, json=payloads.conversation(1002, threads=[payloads.thread(10021)])
    )
    api_settings.get(f"{API}/conversations/1001").respond(200, json=_merge_body())

    assert deliver("convo.merged", _merge_body()).status_code == 200

    assert WebhookEvent.objects.get(event_type="convo.merged").status == "processed"
    source = Conversation.objects.get(pk=1002)
    assert not source.is_deleted and source.merged_into_id is None
