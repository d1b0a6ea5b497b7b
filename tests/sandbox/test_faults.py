"""Fault injection from Python and over HTTP: 5xx, slow answers, drops, 429 storms."""

import httpx
import pytest


def test_fail_next_answers_the_next_n_requests_with_the_status(sandbox, api):
    sandbox.faults.fail_next(2, status=503)
    assert [api.get("/users").status_code for _ in range(3)] == [503, 503, 200]
    assert [s for m, p, s in sandbox.request_log if p == "/v2/users"] == [503, 503, 200]


def test_fail_next_can_target_a_path_prefix(sandbox, api):
    sandbox.faults.fail_next(1, status=500, path="/v2/conversations")
    assert api.get("/users").status_code == 200
    assert api.get("/conversations").status_code == 500
    assert api.get("/conversations").status_code == 200


def test_default_faults_leave_the_token_endpoint_alone(sandbox):
    sandbox.faults.fail_next(1)
    with httpx.Client(base_url=sandbox.api_base_url) as http:
        token = http.post(
            sandbox.token_url,
            data={"grant_type": "client_credentials", "client_id": "a", "client_secret": "b"},
        )
        assert token.status_code == 200
        headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
        assert http.get("/users", headers=headers).status_code == 500
    sandbox.faults.fail_next(1, status=503, path="/v2/oauth2/token")
    assert httpx.post(sandbox.token_url, data={}).status_code == 503


def test_slow_next_makes_a_client_time_out(sandbox, api):
    sandbox.faults.slow_next(1, seconds=0.5)
    with pytest.raises(httpx.ReadTimeout):
        api.get("/users", timeout=0.1)
    assert api.get("/users", timeout=1).status_code == 200


def test_drop_next_closes_the_connection_without_an_answer(sandbox, api):
    sandbox.faults.drop_next(1)
    with pytest.raises(httpx.RemoteProtocolError):
        api.get("/users")
    assert api.get("/users").status_code == 200
    assert ("GET", "/v2/users", 0) in sandbox.request_log


def test_drop_after_handling_applies_the_request_but_loses_the_answer(sandbox, api):
    sandbox.faults.drop_next(1, path="/v2/customers", after_handling=True)
    with pytest.raises(httpx.RemoteProtocolError):
        api.post("/customers", json={"firstName": "Lost", "emails": [{"value": "l@example.com"}]})
    assert sandbox.store.customer_by_email("l@example.com") is not None


def test_rate_limit_storm(sandbox, api):
    sandbox.faults.rate_limit_storm(2, retry_after=3)
    first = api.get("/users")
    assert first.status_code == 429
    assert first.headers["X-RateLimit-Retry-After"] == "3"
    assert api.get("/users").status_code == 429
    assert api.get("/users").status_code == 200


def test_clear(sandbox, api):
    sandbox.faults.fail_next(5)
    sandbox.faults.clear()
    assert api.get("/users").status_code == 200


def test_faults_over_http(sandbox, api):
    control = f"{sandbox.url}/sandbox/faults"
    assert (
        httpx.post(control, json={"fault": "fail_next", "n": 1, "status": 502}).status_code == 204
    )
    assert httpx.get(control).json()["faults"][0]["status"] == 502
    assert api.get("/users").status_code == 502
    assert httpx.post(control, json={"fault": "rate_limit_storm", "n": 1}).status_code == 204
    assert api.get("/users").status_code == 429
    assert httpx.post(control, json={"fault": "revoke_tokens"}).status_code == 204
    assert api.get("/users").status_code == 401
    httpx.post(control, json={"fault": "drop_next", "n": 3})
    assert httpx.delete(control).status_code == 204
    assert httpx.get(control).json() == {"faults": []}
    bad = httpx.post(control, json={"fault": "explode"})
    assert bad.status_code == 400 and "unknown fault" in bad.json()["message"]
    assert httpx.post(control, json={"fault": "fail_next", "status": 200}).status_code == 400


def test_health_answers_without_a_token_and_is_never_faulted(sandbox):
    sandbox.faults.fail_next(3)
    sandbox.faults.drop_next(3)
    health = httpx.get(f"{sandbox.url}/sandbox/health")
    assert health.status_code == 200
    assert health.json()["status"] == "ok" and health.json()["counts"]["mailboxes"] == 1
