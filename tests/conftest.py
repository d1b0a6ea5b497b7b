"""Suite-wide fixtures. Each test gets a fresh cache so token/rate-limit state never leaks."""

import pytest
from django.core.cache import cache

pytest_plugins = ["tests.browser_support"]  # browser_page fixture (headless Chromium)


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()
