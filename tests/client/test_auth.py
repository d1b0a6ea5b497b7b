"""OAuth2: tokens are fetched once, shared through the cache, refreshed before expiry and
once on a 401; authorization-code apps use their refresh token."""

from __future__ import annotations

import threading
import time
from urllib.parse import parse_qs

import httpx
import pytest
from django.core.cache import cache

from helpscout_integration.client.auth import LOCK_POLL_INTERVAL
from helpscout_integration.exceptions import AuthenticationError

from .conftest import API, APP_ID, APP_SECRET, TOKEN_URL


def form(request: httpx.Request) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(request.content.decode()).items()}


def bearer(request: httpx.Request) -> str:
    return request.headers["Authorization"]


def test_client_credentials_token_is_fetched_with_a_form_post(client, api, token_route):
    users = api.get(f"{API}/users/me").respond(200, json={"id": 1})

    assert client.users.me() == {"id": 1}

    assert form(token_route.calls[0].request) == {
        "grant_type": "client_credentials",
        "client_id": APP_ID,
        "client_secret": APP_SECRET,
    }
    assert bearer(users.calls[0].request) == "Bearer token-1"


def test_token_is_cached_and_shared_by_a_second_client(make_client, api, token_route):
    users = api.get(f"{API}/users/me").respond(200, json={"id": 1})

    make_client().users.me()
    make_client().users.me()  # another process with the same cache

    assert token_route.call_count == 1
    assert [bearer(c.request) for c in users.calls] == ["Bearer token-1"] * 2


def test_token_cache_key_never_holds_the_secret_or_app_id(client, api, token_route):
    api.get(f"{API}/users/me").respond(200, json={"id": 1})
    client.users.me()

    key = client.mailbox_api.credentials._provider.cache_key
    assert cache.get(key)["access_token"] == "token-1"
    assert APP_SECRET not in key and APP_ID not in key


def test_token_is_refreshed_shortly_before_it_expires(client, api, token_route, clock):
    users = api.get(f"{API}/users/me").respond(200, json={"id": 1})
    client.users.me()

    clock.now += 172800 - 600  # ten minutes before expiry: still good
    client.users.me()
    assert token_route.call_count == 1

    clock.now += 400  # inside the refresh margin (5 minutes before expiry)
    client.users.me()

    assert token_route.call_count == 2
    assert bearer(users.calls[-1].request) == "Bearer token-2"


def test_a_401_refreshes_the_token_once_and_repeats_the_request(client, api, token_route):
    users = api.get(f"{API}/users/me")
    users.side_effect = [
        httpx.Response(401, json={"message": "Token expired"}),
        httpx.Response(200, json={"id": 7}),
    ]

    assert client.users.me() == {"id": 7}

    assert token_route.call_count == 2
    assert [bearer(c.request) for c in users.calls] == ["Bearer token-1", "Bearer token-2"]
    assert client.stats.token_refreshes == 1


def test_a_second_401_raises_authentication_error(client, api, token_route):
    users = api.get(f"{API}/users/me").respond(401, json={"message": "Unauthorized"})

    with pytest.raises(AuthenticationError) as info:
        client.users.me()

    assert users.call_count == 2
    assert token_route.call_count == 2
    assert info.value.status_code == 401
    assert "token-" not in str(info.value)


def test_a_401_on_post_is_repeated_once_because_it_was_not_applied(client, api, token_route):
    create = api.post(f"{API}/customers")
    create.side_effect = [
        httpx.Response(401),
        httpx.Response(201, headers={"Resource-ID": "55"}),
    ]

    assert client.customers.create({"firstName": "Ada"}) == 55
    assert create.call_count == 2


def test_refresh_token_grant_stores_the_rotated_refresh_token(make_client, api, clock):
    grants = []

    def issue(request):
        grants.append(form(request))
        n = len(grants)
        return httpx.Response(
            200,
            json={
                "access_token": f"access-{n}",
                "refresh_token": f"refresh-{n}",
                "expires_in": 3600,
            },
        )

    api.post(TOKEN_URL).mock(side_effect=issue)
    api.get(f"{API}/users/me").respond(200, json={"id": 1})
    client = make_client(refresh_token="refresh-0")

    client.users.me()
    clock.now += 3600  # expired: refresh again
    make_client(refresh_token="refresh-0").users.me()  # another process, same cache

    assert [g["grant_type"] for g in grants] == ["refresh_token", "refresh_token"]
    assert [g["refresh_token"] for g in grants] == ["refresh-0", "refresh-1"]
    assert grants[0]["client_id"] == APP_ID and grants[0]["client_secret"] == APP_SECRET


def test_refused_credentials_raise_authentication_error_without_the_secret(make_client, api):
    api.post(TOKEN_URL).respond(
        401, json={"error": "invalid_client", "error_description": f"bad secret {APP_SECRET}"}
    )
    users = api.get(f"{API}/users/me").respond(200, json={})

    with pytest.raises(AuthenticationError) as info:
        make_client().users.me()

    message = str(info.value)
    assert APP_SECRET not in message
    assert "APP_SECRET" in message  # tells the developer which setting to check
    assert users.call_count == 0


def test_waits_for_a_refresh_already_running_in_another_process(client, api, token_route, clock):
    """No stampede: while another process holds the refresh lock, use the token it stores."""
    provider = client.mailbox_api.credentials._provider
    lock_key = provider.cache_key.replace(":token", ":lock")
    cache.add(lock_key, 1, 30)
    users = api.get(f"{API}/users/me").respond(200, json={"id": 1})
    real_sleep = clock.sleep

    def other_process_finishes(seconds):
        real_sleep(seconds)
        cache.set(provider.cache_key, {"access_token": "from-other", "refresh_at": clock.now + 999})

    client.mailbox_api.credentials._provider._sleep = other_process_finishes

    client.users.me()

    assert token_route.call_count == 0
    assert bearer(users.calls[0].request) == "Bearer from-other"
    assert clock.sleeps == [LOCK_POLL_INTERVAL]


def test_only_one_refresh_per_request_even_across_retries(client, api, token_route):
    users = api.get(f"{API}/users/me")
    users.side_effect = [
        httpx.Response(401),
        httpx.Response(503),  # retried: a read is repeatable
        httpx.Response(401),
        httpx.Response(200, json={}),
    ]

    with pytest.raises(AuthenticationError):
        client.users.me()

    assert users.call_count == 3
    assert token_route.call_count == 2


def test_a_rate_limited_token_endpoint_is_waited_out(make_client, api, clock):
    token = api.post(TOKEN_URL)
    token.side_effect = [
        httpx.Response(429, headers={"X-RateLimit-Retry-After": "4"}),
        httpx.Response(200, json={"access_token": "t", "expires_in": 7200}),
    ]
    api.get(f"{API}/users/me").respond(200, json={"id": 1})

    assert make_client().users.me() == {"id": 1}
    assert clock.sleeps == [4.0]


def test_concurrent_threads_share_one_token_request(make_client, api):
    """Real threads, real (short) waits: the second caller waits for the first's token."""

    def slow_token(request):
        time.sleep(0.2)
        return httpx.Response(200, json={"access_token": "shared", "expires_in": 7200})

    token = api.post(TOKEN_URL).mock(side_effect=slow_token)
    users = api.get(f"{API}/users/me").respond(200, json={"id": 1})
    clients = [make_client(sleep=time.sleep, clock=time.time) for _ in range(4)]
    threads = [threading.Thread(target=c.users.me) for c in clients]

    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)

    assert token.call_count == 1
    assert users.call_count == 4
    assert {bearer(c.request) for c in users.calls} == {"Bearer shared"}
