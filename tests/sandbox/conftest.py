"""Fixtures for the sandbox's own tests: plain httpx against real HTTP, no app client."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from helpscout_integration.sandbox import Sandbox


def token_for(sandbox: Sandbox, client_id: str = "app-id", client_secret: str = "app-secret"):
    response = httpx.post(
        sandbox.token_url,
        data={
            "grant_type": "client_credentials",
            "client_id": client_id,
            "client_secret": client_secret,
        },
    )
    assert response.status_code == 200, response.text
    return response.json()["access_token"]


def api_client(sandbox: Sandbox, **kwargs) -> httpx.Client:
    """An httpx client with a fresh bearer token, based at the sandbox's /v2."""
    return httpx.Client(
        base_url=sandbox.api_base_url,
        headers={"Authorization": f"Bearer {token_for(sandbox)}"},
        **kwargs,
    )


@pytest.fixture(scope="session")
def demo():
    """One demo-seeded sandbox for tests that only read (no rate limit to trip over)."""
    with Sandbox(seed="demo", rate_limit_per_minute=None) as sandbox:
        yield sandbox


@pytest.fixture(scope="session")
def demo_api(demo):
    with api_client(demo) as client:
        yield client


@pytest.fixture
def sandbox():
    """An empty sandbox of this test's own, with one mailbox, agent and customer."""
    with Sandbox(rate_limit_per_minute=None) as instance:
        instance.create_mailbox("Support", "support@example.com")
        instance.create_user("Ana", "Agent", "ana@example.com", role="owner")
        yield instance


@pytest.fixture
def api(sandbox):
    with api_client(sandbox) as client:
        yield client


class Receiver:
    """A webhook endpoint on 127.0.0.1 that records raw deliveries and answers with the
    statuses it is told to (then 200)."""

    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.statuses: list[int] = []
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                return

            def do_POST(self):  # noqa: N802 (stdlib name)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with receiver.lock:
                    receiver.requests.append(
                        {"headers": {k.lower(): v for k, v in self.headers.items()}, "body": body}
                    )
                    status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()

    def events(self) -> list[str]:
        return [r["headers"]["x-helpscout-event"] for r in self.requests]

    def payloads(self) -> list:
        return [json.loads(r["body"]) for r in self.requests]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    instance = Receiver()
    yield instance
    instance.close()
