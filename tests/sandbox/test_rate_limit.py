"""The per-account rate limits: headers on every answer, writes cost 2, 429 when spent, and
the write burst limit. Time moves only when a test advances the sandbox's manual clock."""

import httpx
import pytest

from helpscout_integration.sandbox import Sandbox

from .conftest import api_client


def test_headers_on_every_response_and_writes_cost_two():
    with Sandbox(rate_limit_per_minute=10) as sb, api_client(sb) as api:
        first = api.get("/mailboxes")
        assert first.headers["X-RateLimit-Limit-Minute"] == "10"
        assert first.headers["X-RateLimit-Remaining-Minute"] == "9"
        write = api.post(
            "/webhooks",
            json={"url": "http://127.0.0.1:9/x", "events": ["convo.created"], "secret": "s"},
        )
        assert write.status_code == 201
        assert write.headers["X-RateLimit-Remaining-Minute"] == "7"
        error = api.get("/conversations/1")
        assert error.status_code == 404 and error.headers["X-RateLimit-Remaining-Minute"] == "6"


def test_the_budget_is_shared_by_every_token_and_429_says_when_to_retry():
    with Sandbox(rate_limit_per_minute=4) as sb, api_client(sb) as one, api_client(sb) as two:
        assert one.get("/users").status_code == 200
        assert two.get("/users").status_code == 200
        assert one.post("/customers", json={"firstName": "A"}).status_code == 201
        refused = two.get("/users")
        assert refused.status_code == 429
        assert refused.headers["X-RateLimit-Remaining-Minute"] == "0"
        retry_after = float(refused.headers["X-RateLimit-Retry-After"])
        assert 0 < retry_after <= 60
        assert refused.json() == {"message": "API rate limit exceeded"}  # bare, no logRef


def test_a_scaled_minute_resets_the_budget():
    # time_scale 60: a Help Scout minute lasts one (sandbox) second.
    with (
        Sandbox(rate_limit_per_minute=2, time_scale=60, manual_clock=True) as sb,
        api_client(sb) as api,
    ):
        api.get("/users")
        api.get("/users")
        refused = api.get("/users")
        assert refused.status_code == 429
        assert float(refused.headers["X-RateLimit-Retry-After"]) == 1.0
        sb.clock.advance(0.999)
        assert api.get("/users").status_code == 429
        sb.clock.advance(0.001)
        assert api.get("/users").status_code == 200


def test_the_token_endpoint_costs_nothing():
    with Sandbox(rate_limit_per_minute=1) as sb:
        for _ in range(3):
            api_client(sb).close()
        with api_client(sb) as api:
            assert api.get("/users").status_code == 200


def test_none_turns_the_limit_off(sandbox):
    with api_client(sandbox) as api:
        for _ in range(50):
            assert api.get("/users").status_code == 200
        assert int(api.get("/users").headers["X-RateLimit-Remaining-Minute"]) > 400


def test_401_answers_carry_the_headers_too():
    with Sandbox() as sb:
        response = httpx.get(f"{sb.api_base_url}/users")
        assert response.status_code == 401
        assert response.headers["X-RateLimit-Limit-Minute"] == "400"


def test_seconds_into_window_tells_where_the_sandbox_minute_began():
    """Benchmarks count requests in the sandbox's own minutes: a 429's Retry-After and
    seconds_into_window add up to one (scaled) minute."""
    with (
        Sandbox(rate_limit_per_minute=1, time_scale=60, manual_clock=True) as sb,
        api_client(sb) as api,
    ):
        sb.clock.advance(0.25)
        api.get("/users")
        refused = api.get("/users")
        assert sb.rate_limiter.seconds_into_window() == pytest.approx(0.25)
        assert refused.headers["X-RateLimit-Retry-After"] == "0.750"


def _write(api):
    return api.post("/customers", json={"firstName": "A"})


def test_the_13th_write_in_five_seconds_is_refused_until_the_first_is_five_seconds_old():
    with Sandbox(manual_clock=True) as sb, api_client(sb) as api:
        for n in range(12):
            assert _write(api).status_code == 201, n
            sb.clock.advance(0.25)
        refused = _write(api)  # 3 s after the first write
        assert refused.status_code == 429
        assert refused.headers["X-RateLimit-Retry-After"] == "2"
        # The minute's budget is not what ran out, and its headers say so.
        assert int(refused.headers["X-RateLimit-Remaining-Minute"]) == 400 - 24
        assert api.get("/users").status_code == 200  # reads are not limited by it
        sb.clock.advance(1.999)
        assert _write(api).status_code == 429
        sb.clock.advance(0.001)
        assert _write(api).status_code == 201  # the first write left the window
        assert _write(api).status_code == 429  # the second has not


def test_the_burst_window_slides_and_refused_writes_cost_nothing():
    with Sandbox(manual_clock=True) as sb, api_client(sb) as api:
        for _ in range(12):
            assert _write(api).status_code == 201
        for _ in range(5):
            assert _write(api).status_code == 429
        sb.clock.advance(5)
        for _ in range(12):
            assert _write(api).status_code == 201
        assert _write(api).status_code == 429


def test_the_burst_limit_follows_the_time_scale_and_can_be_set_or_turned_off():
    with Sandbox(manual_clock=True, time_scale=10, write_burst=(2, 5.0)) as sb:
        with api_client(sb) as api:
            assert [_write(api).status_code for _ in range(3)] == [201, 201, 429]
            sb.clock.advance(0.5)  # 5 Help Scout seconds
            assert _write(api).status_code == 201
    with Sandbox(write_burst=None) as sb, api_client(sb) as api:
        assert {_write(api).status_code for _ in range(30)} == {201}
