"""The per-account rate limit: headers on every answer, writes cost 2, 429 when spent."""

import time

import httpx

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
        assert set(refused.json()) >= {"logRef", "message"}


def test_a_scaled_minute_resets_the_budget():
    # time_scale 60: a Help Scout minute lasts one real second.
    with Sandbox(rate_limit_per_minute=2, time_scale=60) as sb, api_client(sb) as api:
        sb.rate_limiter.reset()  # a fresh window, so the three requests share it
        api.get("/users")
        api.get("/users")
        refused = api.get("/users")
        assert refused.status_code == 429
        wait = float(refused.headers["X-RateLimit-Retry-After"])
        assert 0 < wait <= 1
        time.sleep(wait + 0.02)
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
    with Sandbox(rate_limit_per_minute=1, time_scale=60) as sb, api_client(sb) as api:
        sb.rate_limiter.reset()
        api.get("/users")
        refused = api.get("/users")
        elapsed = sb.rate_limiter.seconds_into_window()
        retry_after = float(refused.headers["X-RateLimit-Retry-After"])
        assert 0 <= elapsed < 1
        assert abs(elapsed + retry_after - 1.0) < 0.1
