"""Fixtures for the client's unit tests: a respx router, a fake clock, client factories.

No test here waits for real: the clock and `sleep` are fakes, and `sleep` advances the clock.
"""

from __future__ import annotations

import itertools

import httpx
import pytest
import respx

from helpscout_integration.client import HelpScoutClient

API = "https://api.helpscout.test/v2"
DOCS = "https://docs.helpscout.test/v1"
TOKEN_URL = API + "/oauth2/token"
APP_ID = "app-id-1234"
APP_SECRET = "app-secret-must-never-leak"
DOCS_KEY = "docs-key-must-never-leak"


class FakeClock:
    """Wall clock and sleep in one: `sleep(s)` records `s` and moves time forward."""

    def __init__(self, start: float = 1_800_000_000.0) -> None:
        self.now = start
        self.sleeps: list[float] = []

    def time(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def hal(key: str, items: list[dict], number: int = 1, total_pages: int = 1, total=None) -> dict:
    """A Mailbox API list page as Help Scout sends it."""
    return {
        "_embedded": {key: items},
        "_links": {"self": {"href": f"{API}/{key}?page={number}"}},
        "page": {
            "size": max(len(items), 1),
            "totalElements": total if total is not None else len(items),
            "totalPages": total_pages,
            "number": number,
        },
    }


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def api():
    """respx router; any request it does not know fails the test (no real traffic)."""
    with respx.mock(assert_all_called=False, assert_all_mocked=True) as router:
        yield router


@pytest.fixture
def token_route(api):
    """The OAuth2 token endpoint, handing out token-1, token-2, ... valid for 2 days."""
    counter = itertools.count(1)

    def issue(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200,
            json={
                "token_type": "bearer",
                "access_token": f"token-{next(counter)}",
                "expires_in": 172800,
            },
        )

    return api.post(TOKEN_URL).mock(side_effect=issue)


@pytest.fixture
def make_client(clock):
    clients = []

    def make(**overrides) -> HelpScoutClient:
        kwargs = {
            "app_id": APP_ID,
            "app_secret": APP_SECRET,
            "api_base_url": API,
            "docs_base_url": DOCS,
            "docs_api_key": DOCS_KEY,
            "sleep": clock.sleep,
            "clock": clock.time,
            **overrides,
        }
        client = HelpScoutClient(**kwargs)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def client(make_client, token_route) -> HelpScoutClient:
    return make_client()
