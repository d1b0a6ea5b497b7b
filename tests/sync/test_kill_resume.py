"""A sync process killed with SIGKILL mid-run resumes from its last committed page.

The sync runs as a real `manage.py helpscout_sync` process on its own SQLite file against
the sandbox (pages slowed so the kill lands mid-listing); the test kills it with
SIGKILL, runs the command again and compares the database with Help Scout.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from helpscout_integration.client import HelpScoutClient
from helpscout_integration.sandbox import Sandbox

ROOT = Path(__file__).resolve().parents[2]


def manage(env: dict, *args: str, **kwargs):
    return subprocess.Popen(  # noqa: S603 (our own manage.py)
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        **kwargs,
    )


def pages_committed(db: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
            row = conn.execute(
                "SELECT cursor FROM helpscout_integration_syncstate "
                "WHERE resource = 'conversations' AND mailbox_id = 0"
            ).fetchone()
    except sqlite3.OperationalError:  # not migrated yet, or locked for a moment
        return 0
    return json.loads(row[0]).get("pages_done", 0) if row and row[0] else 0


def mirrored(db: Path) -> tuple[dict[int, list[int]], int]:
    """Live conversation id -> sorted thread ids, and the number of conversation rows."""
    with sqlite3.connect(db) as conn:
        live = [
            r[0]
            for r in conn.execute(
                "SELECT id FROM helpscout_integration_conversation "
                "WHERE is_deleted = 0 AND is_placeholder = 0"
            )
        ]
        threads: dict[int, list[int]] = {cid: [] for cid in live}
        for tid, cid in conn.execute(
            "SELECT id, conversation_id FROM helpscout_integration_thread ORDER BY id"
        ):
            threads.setdefault(cid, []).append(tid)
        rows = conn.execute("SELECT COUNT(*) FROM helpscout_integration_conversation").fetchone()
    return {cid: threads[cid] for cid in live}, rows[0]


@pytest.fixture(scope="module")
def sandbox():
    with Sandbox(seed="demo", rate_limit_per_minute=None) as sb:
        yield sb


def test_a_sync_killed_with_sigkill_resumes_and_ends_equal_to_help_scout(sandbox, tmp_path):
    db = tmp_path / "mirror.sqlite3"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "project.settings",
        "DATABASE_URL": f"sqlite:///{db}",
        "HELPSCOUT_API_BASE_URL": sandbox.api_base_url,
        "HELPSCOUT_DOCS_API_BASE_URL": sandbox.docs_base_url,
    }
    env.pop("PYTEST_CURRENT_TEST", None)
    migrate = manage(env, "migrate", "--noinput")
    assert migrate.wait(timeout=120) == 0, migrate.stdout.read()

    # Slow every conversation page so the kill lands in the middle of the listing.
    sandbox.faults.slow_next(10_000, seconds=0.25, path="/v2/conversations")
    first = manage(env, "helpscout_sync", "--full")
    deadline = time.monotonic() + 120
    while pages_committed(db) < 3:
        assert first.poll() is None, "the sync ended before it could be killed"
        assert time.monotonic() < deadline, "no page committed in time"
        time.sleep(0.05)
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=30)
    first.stdout.close()
    killed_at = pages_committed(db)
    partial, _ = mirrored(db)
    assert 0 < len(partial) < 2000  # killed mid-run, with pages committed

    sandbox.faults.clear()
    second = manage(env, "helpscout_sync", "--full")
    output, _ = second.communicate(timeout=300)
    assert second.returncode == 0, output
    assert f"after {killed_at} committed page(s)" in output  # resumed, not restarted

    with HelpScoutClient(
        app_id="test", app_secret="test", api_base_url=sandbox.api_base_url
    ) as client:
        remote = {
            item["id"]: sorted(t["id"] for t in item["_embedded"]["threads"])
            for item in client.conversations.list(status="all", embed="threads")
        }
    local, rows = mirrored(db)
    assert local == remote  # every conversation and thread, nothing lost
    assert rows == len(remote)  # and nothing duplicated or left as a stray row
