"""The `helpscout_sandbox` fixture: a fresh sandbox per test, HELPSCOUT pointing at it."""

import pytest

from helpscout_integration.client import HelpScoutClient
from helpscout_integration.conf import get_settings


@pytest.mark.django_db
def test_fixture_points_settings_at_an_empty_sandbox(helpscout_sandbox):
    settings = get_settings()
    assert settings.API_BASE_URL == helpscout_sandbox.api_base_url
    assert settings.token_url == helpscout_sandbox.token_url
    assert settings.DOCS_API_BASE_URL == helpscout_sandbox.docs_base_url
    helpscout_sandbox.create_mailbox("Only")
    with HelpScoutClient.from_settings() as client:
        assert [m["name"] for m in client.mailboxes.list()] == ["Only"]


@pytest.mark.django_db
@pytest.mark.helpscout_sandbox(seed="demo", rate_limit_per_minute=None)
def test_marker_passes_options(helpscout_sandbox):
    with HelpScoutClient.from_settings() as client:
        assert len(list(client.users.list())) == 5
    assert helpscout_sandbox.rate_limiter.per_minute is None


@pytest.mark.django_db
def test_each_test_gets_a_fresh_sandbox(helpscout_sandbox):
    # Same process, same cache key for the token as the first test, different sandbox:
    # the client must not reuse a token the previous sandbox issued.
    with HelpScoutClient.from_settings() as client:
        assert list(client.mailboxes.list()) == []
