"""Which list items embed a partial transcript (and so need List Threads)."""

import pytest

from helpscout_integration.payloads.embedded_threads import needs_thread_listing, with_threads


def convo(type="email", count=1, threads=({"type": "customer"},)):
    return {"id": 1, "type": type, "threads": count, "_embedded": {"threads": list(threads)}}


@pytest.mark.parametrize(
    ("payload", "needed"),
    [
        (convo(), False),
        (convo(type="chat"), True),
        (convo(threads=[{"type": "customer"}, {"type": "beaconchat"}], count=2), True),
        (convo(threads=[{"type": "chat"}]), True),
        (convo(count=60, threads=[{"type": "customer"}] * 50), True),  # more than embedded
        ({"id": 1, "type": "chat", "threads": 3}, False),  # no threads embedded at all
        ("not a conversation", False),
    ],
)
def test_needs_thread_listing(payload, needed):
    assert needs_thread_listing(payload) is needed


def test_with_threads_replaces_the_embedded_list_and_leaves_the_payload_alone():
    payload = convo(type="chat")
    completed = with_threads(payload, [{"id": 9, "type": "chat", "body": "whole"}])
    assert completed["_embedded"]["threads"] == [{"id": 9, "type": "chat", "body": "whole"}]
    assert payload["_embedded"]["threads"] == [{"type": "customer"}]
