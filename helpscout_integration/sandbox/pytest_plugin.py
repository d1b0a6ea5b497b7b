"""Pytest plugin (registered through the `pytest11` entry point): the `helpscout_sandbox`
fixture starts a fresh `Sandbox` for one test and points `settings.HELPSCOUT` at it.

Options go through a marker: `@pytest.mark.helpscout_sandbox(seed="demo", time_scale=60)`.
Never touches the real Help Scout; the sandbox stops when the test ends.
"""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "helpscout_sandbox(**kwargs): options for the helpscout_sandbox fixture's Sandbox "
        "(seed, rate_limit_per_minute, time_scale, token_ttl, ...)",
    )


@pytest.fixture
def helpscout_sandbox(request: pytest.FixtureRequest):
    """A running Sandbox; `settings.HELPSCOUT` points at it for the duration of the test."""
    from .sandbox import Sandbox

    options: dict = {}
    for marker in reversed(list(request.node.iter_markers("helpscout_sandbox"))):
        options.update(marker.kwargs)
    with Sandbox(**options) as sandbox:
        settings = request.getfixturevalue("settings")  # pytest-django, restored after
        current = getattr(settings, "HELPSCOUT", None) or {}
        settings.HELPSCOUT = {**current, **sandbox.helpscout_settings()}
        yield sandbox
