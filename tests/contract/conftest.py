"""The API and Docs clients the contract test modules share. Each module that uses them
defines its own module-scoped `sb` fixture (the sandbox it starts, with its seed and rate
limits in plain sight); these fixtures take whichever `sb` the requesting module defines,
so they must never start a sandbox or pick its options themselves."""

from __future__ import annotations

import pytest

from .sandbox_api import api_client, docs_client


@pytest.fixture(scope="module")
def api(sb):
    """An httpx client on the module's sandbox Mailbox API, with a bearer token."""
    with api_client(sb) as client:
        yield client


@pytest.fixture(scope="module")
def docs(sb):
    """An httpx client on the module's sandbox Docs API."""
    with docs_client(sb) as client:
        yield client
