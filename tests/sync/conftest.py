import pytest

from helpscout_integration.client import HelpScoutClient


class Sleeps:
    """Records the waits the client asked for and sleeps a scaled-down fraction of them."""

    def __init__(self, factor=0.0):
        self.factor = factor
        self.calls = []

    def __call__(self, seconds):
        import time

        self.calls.append(seconds)
        if self.factor:
            time.sleep(seconds * self.factor)


@pytest.fixture
def make_client():
    """Build a client for a sandbox, closed at the end of the test."""
    clients = []

    def _make(sandbox, **kwargs):
        settings = sandbox.helpscout_settings()
        client = HelpScoutClient(
            app_id=settings["APP_ID"],
            app_secret=settings["APP_SECRET"],
            api_base_url=sandbox.api_base_url,
            token_url=sandbox.token_url,
            **kwargs,
        )
        clients.append(client)
        return client

    yield _make
    for client in clients:
        client.close()
