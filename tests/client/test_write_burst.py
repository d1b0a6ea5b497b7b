"""The write burst limit (12 writes in any 5 s per account): writes are paced to it across
every client sharing the cache, reads are not, and its 429 teaches the minute limiter
nothing. Time is the fake clock's: nothing here waits for real."""

from __future__ import annotations

import httpx
import pytest

from helpscout_integration.exceptions import RateLimitedError

from .conftest import API


@pytest.fixture
def writes(api, token_route):
    return api.post(f"{API}/customers").respond(201, headers={"Resource-ID": "7"})


def test_a_burst_of_12_writes_goes_at_once_and_the_13th_waits_out_the_window(client, writes, clock):
    for _ in range(12):
        client.customers.create({"firstName": "Ada"})
    assert clock.sleeps == []

    client.customers.create({"firstName": "Ada"})

    # The write 12 places before it left 0 s ago: wait the 5 s window and a 5 % margin.
    assert clock.sleeps == [pytest.approx(5.25)]
    assert client.stats.rate_limit_waits == 1


def test_no_five_seconds_hold_more_than_12_writes(client, writes, clock):
    sent = []
    writes.side_effect = lambda request: (
        sent.append(clock.now) or httpx.Response(201, headers={"Resource-ID": "7"})
    )
    for n in range(60):
        client.customers.create({"firstName": "Ada"})
        clock.now += 0.1 * (n % 3)  # uneven gaps between the caller's writes

    assert len(sent) == 60
    for first in sent:
        assert sum(1 for t in sent if first <= t < first + 5.0) <= 12


def test_clients_sharing_the_cache_share_the_burst(make_client, writes, clock):
    first, second = make_client(), make_client()
    for _ in range(6):
        first.customers.create({"firstName": "Ada"})
        second.customers.create({"firstName": "Bob"})
    assert clock.sleeps == []

    second.customers.create({"firstName": "Bob"})

    assert clock.sleeps == [pytest.approx(5.25)]


def test_reads_are_not_paced(client, api, clock):
    api.get(f"{API}/users/me").respond(200, json={})
    for _ in range(30):
        client.users.me()
    assert clock.sleeps == []


def test_none_turns_pacing_off(make_client, writes, clock):
    client = make_client(write_burst_limit=None)
    for _ in range(20):
        client.customers.create({"firstName": "Ada"})
    assert clock.sleeps == []


def test_max_rate_limit_wait_raises_instead_of_waiting_for_the_burst(make_client, writes):
    client = make_client(max_rate_limit_wait=1)
    for _ in range(12):
        client.customers.create({"firstName": "Ada"})

    with pytest.raises(RateLimitedError) as info:
        client.customers.create({"firstName": "Ada"})

    assert "write burst limit" in str(info.value)
    assert info.value.retry_after == pytest.approx(5.25)
    assert writes.call_count == 12  # nothing sent


def test_a_burst_429_is_retried_and_does_not_move_the_minute(client, api, token_route, clock):
    """Another app spent the burst: Help Scout refuses with minute budget left. The write is
    retried after Retry-After, and the minute limiter does not take that for its minute's end
    (learning it would shift every later window)."""
    route = api.post(f"{API}/customers")
    route.side_effect = [
        httpx.Response(
            429,
            headers={"X-RateLimit-Retry-After": "2", "X-RateLimit-Remaining-Minute": "350"},
            json={"message": "API rate limit exceeded"},
        ),
        httpx.Response(201, headers={"Resource-ID": "7"}),
    ]

    assert client.customers.create({"firstName": "Ada"}) == 7

    assert clock.sleeps == [2.0]
    assert client.limiter._cache.get(client.limiter._phase_key) is None
