"""How the contract tests reach a running sandbox: one place for the token dance and the
clients, so each test module only states which sandbox it starts (seed, rate limits).

Must never choose sandbox options itself: a module's seed and limits stay visible in that
module, because the rate-limit contract tests depend on them."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import httpx

from helpscout_integration.sandbox import Sandbox


@contextlib.contextmanager
def api_client(sandbox: Sandbox) -> Iterator[httpx.Client]:
    """An httpx client on the sandbox's Mailbox API, with a client_credentials bearer token."""
    token = httpx.post(
        sandbox.token_url,
        data={"grant_type": "client_credentials", "client_id": "a", "client_secret": "s"},
    ).json()["access_token"]
    with httpx.Client(
        base_url=sandbox.api_base_url, headers={"Authorization": f"Bearer {token}"}
    ) as client:
        yield client


@contextlib.contextmanager
def docs_client(sandbox: Sandbox) -> Iterator[httpx.Client]:
    """An httpx client on the sandbox's Docs API, with a Docs API key."""
    with httpx.Client(base_url=sandbox.docs_base_url, auth=("sandbox-docs-key", "X")) as client:
        yield client
