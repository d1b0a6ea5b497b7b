"""Rate limiting: 429s are absorbed by waiting, and the shared proactive limiter keeps the
account under its budget (writes cost 2) before Help Scout has to refuse anything."""

from __future__ import annotations

import httpx
import pytest

from helpscout_integration.exceptions import RateLimitedError

from .conftest import API, FakeClock, hal


def too_many(retry_after: str | None = None) -> httpx.Response:
    headers = {"X-RateLimit-Retry-After": retry_after} if retry_after is not None else {}
    return httpx.Response(429, headers=headers, json={"message": "Too many requests"})


def test_429_waits_retry_after_then_succeeds(client, api, clock):
    route = api.get(f"{API}/users/me")
    route.side_effect = [too_many("7"), httpx.Response(200, json={"id": 1})]

    assert client.users.me() == {"id": 1}

    assert route.call_count == 2
    assert clock.sleeps == [7.0]
    assert client.stats.rate_limit_waits == 1
    assert client.stats.rate_limit_wait_seconds == 7.0


def test_429_on_a_post_is_retried_because_it_was_refused(client, api, clock):
    route = api.post(f"{API}/customers")
    route.side_effect = [too_many("3"), httpx.Response(201, headers={"Resource-ID": "4"})]

    assert client.customers.create({"firstName": "Ada"}) == 4
    assert route.call_count == 2
    assert clock.sleeps == [3.0]


def test_429_without_retry_after_backs_off_exponentially(client, api, clock):
    route = api.get(f"{API}/users/me")
    route.side_effect = [too_many(), too_many(), too_many(), httpx.Response(200, json={})]

    client.users.me()

    assert route.call_count == 4
    assert len(clock.sleeps) == 3
    for attempt, slept in enumerate(clock.sleeps):
        base = 2.0 * 2**attempt
        assert base <= slept <= base + 0.5  # exponential, plus jitter
    assert clock.sleeps[0] < clock.sleeps[1] < clock.sleeps[2]


def test_a_429_storm_beyond_the_bound_raises_rate_limited_error(make_client, api, token_route):
    client = make_client(max_rate_limit_retries=3)
    route = api.get(f"{API}/users/me").mock(side_effect=lambda request: too_many("2"))

    with pytest.raises(RateLimitedError) as info:
        client.users.me()

    assert route.call_count == 4  # the first try plus three retries
    assert info.value.retry_after == 2.0
    assert info.value.status_code == 429


def test_a_429_pauses_other_processes_sharing_the_cache(make_client, api, token_route, clock):
    other_clock = FakeClock(start=clock.now)  # another process: own sleep, same wall time
    first = make_client(sleep=other_clock.sleep, clock=other_clock.time)
    second = make_client()
    route = api.get(f"{API}/users/me")
    route.side_effect = [too_many("10"), httpx.Response(200, json={})]
    first.users.me()
    assert other_clock.sleeps == [10.0]

    api.get(f"{API}/tags").respond(200, json=hal("tags", []))
    list(second.tags.list())

    assert clock.sleeps == [10.0]  # `second` waited out the 429 `first` received


def test_limiter_waits_for_the_next_window_when_the_budget_is_spent(
    make_client, api, token_route, clock
):
    clock.now = 1_800_000_000.0  # the start of a 60 s window
    client = make_client(rate_limit_per_minute=5)
    route = api.get(f"{API}/users/me").respond(200, json={})

    for _ in range(5):
        client.users.me()
    assert clock.sleeps == []

    client.users.me()  # the sixth read of the minute

    assert clock.sleeps == [60.0]
    assert route.call_count == 6
    assert client.stats.rate_limit_waits == 1


def test_writes_cost_two_units_of_the_budget(make_client, api, token_route, clock):
    clock.now = 1_800_000_000.0
    client = make_client(rate_limit_per_minute=5)
    api.put(f"{API}/conversations/1/tags").respond(204)
    api.get(f"{API}/users/me").respond(200, json={})

    client.conversations.set_tags(1, ["a"])  # 2
    client.conversations.set_tags(1, ["b"])  # 4
    client.users.me()  # 5: the budget is exactly spent
    assert clock.sleeps == []

    clock.now += 30
    client.conversations.set_tags(1, ["c"])  # would be 7

    assert clock.sleeps == [30.0]


def _close(client):
    client.conversations.update(1, "replace", "/status", "closed")


@pytest.mark.parametrize(
    ("method", "path", "status", "write"),
    [
        ("POST", "/customers", 201, lambda c: c.customers.create({"firstName": "Ada"})),
        ("PATCH", "/conversations/1", 204, _close),
        ("DELETE", "/conversations/1", 204, lambda c: c.conversations.delete(1)),
    ],
    ids=["POST", "PATCH", "DELETE"],
)
def test_every_write_method_counts_two_against_the_minute(
    make_client, api, token_route, clock, method, path, status, write
):
    """Help Scout counts POST, PUT, PATCH and DELETE as two requests each (PUT above)."""
    clock.now = 1_800_000_000.0
    client = make_client(rate_limit_per_minute=3)
    api.route(method=method, url=f"{API}{path}").respond(status, headers={"Resource-ID": "4"})
    api.get(f"{API}/users/me").respond(200, json={})

    write(client)  # 2
    client.users.me()  # 3: spent
    assert clock.sleeps == []
    write(client)  # 5 > 3: waits for the next minute
    assert clock.sleeps == [60.0]


def test_the_budget_is_shared_by_clients_using_the_same_cache(make_client, api, token_route, clock):
    clock.now = 1_800_000_000.0
    first, second = make_client(rate_limit_per_minute=4), make_client(rate_limit_per_minute=4)
    api.get(f"{API}/users/me").respond(200, json={})

    first.users.me()
    first.users.me()
    second.users.me()
    second.users.me()
    assert clock.sleeps == []

    second.users.me()
    assert clock.sleeps == [60.0]


def test_a_scaled_window_waits_a_scaled_minute(make_client, api, token_route, clock):
    clock.now = 1_800_000_000.0
    client = make_client(rate_limit_per_minute=2, rate_limit_window=0.5)
    api.get(f"{API}/users/me").respond(200, json={})

    for _ in range(3):
        client.users.me()

    assert clock.sleeps == [0.5]


def test_zero_remaining_in_the_minute_waits_before_the_next_request(client, api, clock):
    clock.now = 1_800_000_000.0 + 45
    route = api.get(f"{API}/users/me")
    route.side_effect = [
        httpx.Response(200, json={}, headers={"X-RateLimit-Remaining-Minute": "0"}),
        httpx.Response(200, json={}, headers={"X-RateLimit-Remaining-Minute": "399"}),
    ]

    client.users.me()
    assert clock.sleeps == []
    client.users.me()

    # Help Scout's minute has not been located yet: wait a twelfth of a minute (never past
    # our own minute's end) and let the next answer say where Help Scout's minute ends.
    assert clock.sleeps == [5.0]


def test_zero_remaining_waits_for_help_scouts_minute_once_it_is_known(client, api, clock):
    clock.now = 1_800_000_000.0 + 45
    route = api.get(f"{API}/users/me")
    route.side_effect = [
        httpx.Response(429, headers={"X-RateLimit-Retry-After": "20"}),  # ends at +65
        httpx.Response(200, json={}, headers={"X-RateLimit-Remaining-Minute": "0"}),
        httpx.Response(200, json={}, headers={"X-RateLimit-Remaining-Minute": "399"}),
    ]

    client.users.me()  # the 429, then success at +65 with nothing left until +125
    client.users.me()

    assert clock.sleeps == [20.0, 60.0]


def test_a_jump_in_remaining_marks_the_start_of_help_scouts_minute(
    make_client, api, token_route, clock
):
    clock.now = 1_800_000_000.0 + 20
    client = make_client(rate_limit_per_minute=10)
    route = api.get(f"{API}/users/me")
    route.side_effect = [
        httpx.Response(200, json={}, headers={"X-RateLimit-Remaining-Minute": "1"}),
        httpx.Response(200, json={}, headers={"X-RateLimit-Remaining-Minute": "9"}),  # reset
    ] + [httpx.Response(200, json={}) for _ in range(10)]

    client.users.me()
    client.users.me()  # Help Scout's minute began here, at +20: ours now counts from it
    for _ in range(9):
        client.users.me()
    assert clock.sleeps == []  # 10 in Help Scout's minute, although ours began at +0

    client.users.me()
    assert clock.sleeps == [60.0]  # until +80, the end of Help Scout's minute


def test_the_limiter_keeps_pace_with_a_minute_that_is_not_ours(
    make_client, api, token_route, clock
):
    """Help Scout's minute starts 37 s into ours: after learning that, every minute carries
    the whole budget, and hardly a request is refused."""
    limit, phase = 20, 37.0
    clock.now = 1_800_000_000.0
    spent: dict[int, int] = {}

    def help_scout(request):
        minute = int((clock.now - phase) // 60)
        if spent.get(minute, 0) + 1 > limit:
            ends = phase + (minute + 1) * 60
            return httpx.Response(
                429, headers={"X-RateLimit-Retry-After": f"{ends - clock.now:.3f}"}
            )
        spent[minute] = spent.get(minute, 0) + 1
        remaining = limit - spent[minute]
        return httpx.Response(
            200, json={}, headers={"X-RateLimit-Remaining-Minute": str(remaining)}
        )

    route = api.get(f"{API}/users/me").mock(side_effect=help_scout)
    client = make_client(rate_limit_per_minute=limit)
    start = clock.now
    while clock.now - start < 10 * 60:
        client.users.me()
        # Each request takes 90% of its share of the minute, so requests spread over the
        # whole minute, as in a long sync, instead of a burst at its start.
        clock.now += 0.9 * 60 / limit

    minutes = (clock.now - start) / 60
    achieved = sum(spent.values()) / (limit * minutes)
    refused = route.call_count - sum(spent.values())
    assert achieved >= 0.95
    assert refused <= 2


def test_max_rate_limit_wait_raises_instead_of_sleeping_long_on_429(
    make_client, api, token_route, clock
):
    client = make_client(max_rate_limit_wait=5)
    route = api.get(f"{API}/users/me").mock(side_effect=lambda request: too_many("30"))

    with pytest.raises(RateLimitedError) as info:
        client.users.me()

    assert info.value.retry_after == 30.0
    assert route.call_count == 1
    assert clock.sleeps == []


def test_max_rate_limit_wait_bounds_the_proactive_limiter(make_client, api, token_route, clock):
    clock.now = 1_800_000_000.0
    client = make_client(rate_limit_per_minute=1, max_rate_limit_wait=5)
    route = api.get(f"{API}/users/me").respond(200, json={})
    client.users.me()

    with pytest.raises(RateLimitedError) as info:
        client.users.me()

    assert info.value.retry_after == 60.0
    assert route.call_count == 1
    assert clock.sleeps == []


def test_help_scouts_remaining_count_raises_ours(make_client, api, token_route, clock):
    """Another app spent most of the account's minute: we slow down before a 429."""
    clock.now = 1_800_000_000.0
    client = make_client(rate_limit_per_minute=10)
    route = api.get(f"{API}/users/me")
    route.side_effect = [
        httpx.Response(200, json={}, headers={"X-RateLimit-Remaining-Minute": "1"}),
        httpx.Response(200, json={}),
        httpx.Response(200, json={}),
    ]

    client.users.me()  # Help Scout has counted 9 of 10 (we sent 1)
    client.users.me()  # 10
    assert clock.sleeps == []

    client.users.me()
    assert clock.sleeps == [60.0]


def test_a_smaller_limit_announced_by_help_scout_wins(make_client, api, token_route, clock):
    clock.now = 1_800_000_000.0
    client = make_client(rate_limit_per_minute=400)
    api.get(f"{API}/users/me").respond(200, json={}, headers={"X-RateLimit-Limit-Minute": "2"})

    for _ in range(3):
        client.users.me()

    assert client.limiter.limit == 2
    assert clock.sleeps == [60.0]


def test_a_429_waits_only_its_retry_after_not_the_rest_of_the_window(client, api, clock):
    clock.now = 1_800_000_000.0  # a whole window ahead
    route = api.get(f"{API}/users/me")
    route.side_effect = [
        httpx.Response(
            429, headers={"X-RateLimit-Retry-After": "2", "X-RateLimit-Remaining-Minute": "0"}
        ),
        httpx.Response(200, json={}),
        httpx.Response(200, json={}),
    ]

    client.users.me()
    client.users.me()

    assert clock.sleeps == [2.0]


def test_a_limit_announced_to_one_client_binds_every_client_sharing_the_cache(
    make_client, api, token_route, clock
):
    """A 200/min plan under the default setting of 400: once any process has heard
    `X-RateLimit-Limit-Minute`, a new client keeps to it from its first request (before,
    each new client spent up to 400 and earned a 429 before its first answer taught it)."""
    clock.now = 1_800_000_000.0
    route = api.get(f"{API}/users/me").respond(
        200, json={}, headers={"X-RateLimit-Limit-Minute": "3"}
    )
    first = make_client(rate_limit_per_minute=400)
    for _ in range(3):
        first.users.me()
    assert clock.sleeps == []

    fresh = make_client(rate_limit_per_minute=400)
    fresh.users.me()  # the fourth request of a budget of 3 in this minute

    assert clock.sleeps == [60.0]
    assert fresh.limiter.limit == 3
    assert route.call_count == 4


def test_an_announced_limit_never_raises_the_configured_one(make_client, api, token_route):
    api.get(f"{API}/users/me").respond(200, json={}, headers={"X-RateLimit-Limit-Minute": "400"})
    client = make_client(rate_limit_per_minute=200)
    client.users.me()
    assert client.limiter.limit == 200
