"""Real-browser tests: a `browser_page` fixture driving Debian's headless Chromium.

Browsers cannot be downloaded here, so Playwright never installs its own: it launches
`/usr/bin/chromium` (installed by `make test` through apt-get). Tests that use the fixture
are marked `@pytest.mark.browser`. When Chromium (or Playwright) is missing they fail under
CI (`CI` set) and are skipped with the reason otherwise, so a laptop without Chromium still
runs the rest of the suite while CI never silently loses browser coverage.

Playwright's sync API keeps an asyncio loop running in the test thread while a browser is
open, and Django refuses ORM calls inside a running loop; the fixture allows them for the
duration of one browser test only (see `_django_db_allowed_beside_playwright`).
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import connections

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


def _unavailable_reason() -> str | None:
    """Why a browser cannot be started here, or None when it can."""
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is missing (run `make test`, which installs Debian's chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is missing (pip install -e '.[test]')"
    return None


def _require_browser() -> None:
    reason = _unavailable_reason()
    if reason is None:
        return
    if os.environ.get("CI"):
        pytest.fail(f"browser test cannot run under CI: {reason}", pytrace=False)
    pytest.skip(f"browser test skipped: {reason}")


# Pages under test may reach this machine only (the live server and the sandbox).
LOCAL_URL = re.compile(r"^https?://(127\.0\.0\.1|localhost)[:/]")


def keep_requests_local(page) -> None:
    """Abort every request of `page` that leaves this machine, so a browser test never
    depends on, or leaks to, the internet."""

    def route(route):
        if LOCAL_URL.match(route.request.url):
            route.continue_()
        else:
            route.abort()

    page.route("**/*", route)


def artifact_path(name: str) -> Path:
    """A path under `test-artifacts/` (created) for a screenshot or trace."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS / name


@contextmanager
def _django_db_allowed_beside_playwright() -> Iterator[None]:
    """Let the test thread use the ORM while Playwright's private event loop is running.

    Django refuses synchronous database calls when an asyncio loop runs in the thread; the
    loop here is Playwright's own driver loop, not async Django code, so the calls are safe.
    Scoped to one browser test, never the whole session.
    """
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def browser_page(request) -> Iterator[object]:
    """A fresh Playwright page in its own headless Chromium (no state shared between tests).

    Chromium is started per test: Playwright's loop stays "running" in this thread while it
    is open, which must not leak into the database fixtures of unrelated tests. On a failing
    test, a full-page screenshot is saved to `test-artifacts/<test>-failed.png`.
    """
    _require_browser()
    from playwright.sync_api import sync_playwright

    with _django_db_allowed_beside_playwright(), sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        page = browser.new_page()
        page.set_default_timeout(10_000)
        try:
            yield page
        finally:
            report = getattr(request.node, "_browser_call_report", None)
            if report is not None and report.failed:
                name = re.sub(r"[^\w.-]+", "_", request.node.name)
                try:
                    page.screenshot(path=str(artifact_path(f"{name}-failed.png")), full_page=True)
                except Exception:  # noqa: S110  a failed screenshot must not hide the failure
                    pass
            browser.close()
            # Connections the test body opened while Playwright ran belong to that context
            # and would outlive the test database (PostgreSQL then refuses to drop it).
            # Browser tests use transactional_db; one inside a test transaction stays.
            for connection in connections.all(initialized_only=True):
                if not connection.in_atomic_block:
                    connection.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item._browser_call_report = report
    return report


@pytest.fixture
def one_request_at_a_time_on_sqlite(monkeypatch) -> Iterator[threading.Lock | None]:
    """Serve the live server's requests one at a time when the test database is SQLite.

    The live server shares the test's in-memory SQLite connection with every thread it
    serves (Django cannot give each thread its own in-memory database), so two requests at
    once, say a staff reply refreshing the mirror while the reply's webhook arrives, run
    statements on one connection from two threads: "cannot commit transaction - SQL
    statements in progress", "table is locked". A real deployment has a connection per
    thread and never meets this. Yields the lock (None elsewhere) so the test thread takes
    it too while it reads the database; views must not wait on a request back into the
    live server while holding it (none of the loop's views do).
    """
    from django.core.handlers.wsgi import WSGIHandler

    if connections["default"].vendor != "sqlite":
        yield None
        return
    lock = threading.Lock()
    serve = WSGIHandler.__call__

    def serve_alone(self, environ, start_response):
        with lock:
            return serve(self, environ, start_response)

    monkeypatch.setattr(WSGIHandler, "__call__", serve_alone)
    yield lock
