"""(c) The sandbox's rate limits, as it starts by default, are Help Scout's documented
ones (fixtures/wire.py names the pages): the minute headers on every answer, writes
counted as two, a 429 that says when to retry, and the write burst. The client's pacing
and the bulk pushes are tuned against the sandbox; if it drifted, they would be tuned
against something Help Scout does not do."""

import contextlib

import httpx
import pytest

from helpscout_integration.sandbox import Sandbox

from .fixtures import other, wire
from .sandbox_api import api_client


@contextlib.contextmanager
def default_sandbox(**overrides):
    """A sandbox with Help Scout's limits as the sandbox defaults them (its clock
    stopped, so the burst window is exact), and an API client on it."""
    with Sandbox(manual_clock=True, **overrides) as sb, api_client(sb) as api:
        sb.create_mailbox("Support")
        yield sb, api


def remaining(response) -> int:
    return int(response.headers["X-RateLimit-Remaining-Minute"])


def test_every_answer_carries_the_minute_headers_with_a_plans_limit():
    with default_sandbox() as (sb, api):
        answers = [
            api.get("/mailboxes"),  # 200
            api.post("/customers", json={"firstName": "Ada"}),  # 201
            api.get("/conversations/999999"),  # 404
            httpx.get(f"{sb.api_base_url}/users"),  # 401: no token
        ]
    for response in answers:
        for header in wire.RATE_LIMIT_HEADERS:
            assert header in response.headers, (response.status_code, header)
        assert int(response.headers["X-RateLimit-Limit-Minute"]) in wire.PLAN_LIMITS_PER_MINUTE


def test_each_write_method_costs_two_and_a_read_one():
    with default_sandbox() as (sb, api):
        mailbox_id = min(sb.store.mailboxes)
        conversation = sb.create_conversation(mailbox_id=mailbox_id, customer_email="a@b.example")
        path = f"/conversations/{conversation['id']}"
        before = remaining(api.get("/users"))
        requests = {
            "GET": lambda: api.get(path),
            "POST": lambda: api.post("/customers", json={"firstName": "Ada"}),
            "PUT": lambda: api.put(f"{path}/tags", json={"tags": ["vip"]}),
            "PATCH": lambda: api.patch(
                path, json={"op": "replace", "path": "/subject", "value": "Renamed"}
            ),
            "DELETE": lambda: api.delete(path),
        }
        spent = {}
        for method, send in requests.items():
            response = send()
            assert response.status_code < 300, (method, response.status_code, response.text)
            spent[method] = before - remaining(response)
            before = remaining(response)
    assert spent == {"GET": 1, **{method: wire.WRITE_COST for method in wire.WRITE_METHODS}}


def test_a_spent_minute_answers_429_with_retry_after():
    with default_sandbox(rate_limit_per_minute=3) as (_sb, api):
        assert api.post("/customers", json={"firstName": "Ada"}).status_code == 201
        assert api.get("/users").status_code == 200
        refused = api.get("/users")
    assert refused.status_code == 429
    assert refused.json() == other.RATE_LIMITED
    assert 0 < float(refused.headers[wire.RETRY_AFTER_HEADER]) <= 60
    assert remaining(refused) == 0


def test_the_write_burst_is_twelve_writes_in_five_seconds():
    writes, seconds = wire.WRITE_BURST
    with default_sandbox() as (sb, api):

        def write():
            return api.post("/customers", json={"firstName": "Ada"}).status_code

        assert [write() for _ in range(writes)] == [201] * writes
        refused = api.post("/customers", json={"firstName": "Ada"})
        assert refused.status_code == 429
        assert float(refused.headers[wire.RETRY_AFTER_HEADER]) == pytest.approx(seconds)
        assert api.get("/users").status_code == 200  # reads are not part of the burst
        sb.clock.advance(seconds - 0.01)
        assert write() == 429
        sb.clock.advance(0.01)
        assert write() == 201  # the first writes left the window
