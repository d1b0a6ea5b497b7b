"""Suite-wide fixtures. Each test gets a fresh cache so token/rate-limit state never leaks."""

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()
