"""A real deployment in miniature for the tests: gunicorn, separate task workers, own database.

`Stack` creates a scratch database of the kind the suite runs on (a SQLite file, or a
PostgreSQL database next to the test database), migrates it, and starts a gunicorn
server and task workers as child processes with `tests/webhooks/mp_settings.py`. The
test process reads the database with a plain connection of its own, so nothing it does
is hidden in a test transaction.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from django.db import connection

from helpscout_integration.webhooks.signature import compute_signature

ROOT = Path(__file__).resolve().parents[2]
SECRET = "multi-process-secret"
EVENTS = "helpscout_integration_webhookevent"
TASK_ROWS = "django_tasks_database_dbtaskresult"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _tail(path: Path, lines: int = 40) -> str:
    if not path.exists():
        return ""
    return f"--- {path.name}\n" + "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


class Stack:
    def __init__(self, tmp_path: Path, *, cache: str = "locmem", tasks: str = "database", **env):
        self.tmp_path = tmp_path
        self.procs: dict[str, subprocess.Popen] = {}
        self.logs: list[Path] = []
        self.vendor = connection.vendor
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.webhooks.mp_settings",
            "PYTHONPATH": str(ROOT),
            "HELPSCOUT_WEBHOOK_SECRET": SECRET,
            "HS_MP_CACHE": cache,
            "HS_MP_TASKS": tasks,
            "HS_MP_CACHE_PREFIX": f"hs-mp-{os.getpid()}-{time.time_ns()}",
            **env,
        }
        self.cache = cache
        self._create_database()
        self.url = ""

    # --- database ---------------------------------------------------------------------

    def _create_database(self) -> None:
        if self.vendor == "postgresql":
            import psycopg

            s = connection.settings_dict
            auth = quote(s["USER"] or "postgres")
            if s.get("PASSWORD"):
                auth += ":" + quote(s["PASSWORD"])
            server = f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}"
            self.db_name = f"hs_mp_{os.getpid()}_{time.time_ns() % 10**9}"
            self._server = server
            with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
                admin.execute(f'CREATE DATABASE "{self.db_name}"')
            self.database_url = f"{server}/{self.db_name}"
        else:
            self.db_path = self.tmp_path / "mp.sqlite3"
            self.database_url = f"sqlite:///{self.db_path}"
        self.env["DATABASE_URL"] = self.database_url
        self.manage("migrate", "-v0")
        if self.cache == "database":
            self.manage("createcachetable")

    def _drop_database(self) -> None:
        if self.vendor == "postgresql":
            import psycopg

            with psycopg.connect(f"{self._server}/postgres", autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{self.db_name}" WITH (FORCE)')

    def manage(self, *args: str) -> None:
        subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", *args], cwd=ROOT, env=self.env, check=True
        )

    def query(self, sql: str) -> list[tuple]:
        if self.vendor == "postgresql":
            import psycopg

            with psycopg.connect(self.database_url, autocommit=True) as conn:
                return conn.execute(sql).fetchall()
        import sqlite3

        conn = sqlite3.connect(self.db_path, timeout=30)
        try:
            return conn.execute(sql).fetchall()
        finally:
            conn.close()

    def statuses(self) -> Counter:
        sql = f"SELECT status, COUNT(*) FROM {EVENTS} GROUP BY status"  # noqa: S608 (constants)
        return Counter(dict(self.query(sql)))

    def drains(self, status: str) -> list[str]:
        """The worker ids on the drain task rows in `status` (READY rows have none)."""
        rows = self.query(
            f"SELECT worker_ids FROM {TASK_ROWS} WHERE status = '{status}' "  # noqa: S608
            "AND task_path LIKE '%process_received_webhook_events'"
        )
        return [str(row[0]) for row in rows]

    # --- processes --------------------------------------------------------------------

    def _start(self, name: str, args: list[str]) -> subprocess.Popen:
        log = self.tmp_path / f"{name}.log"
        self.logs.append(log)
        handle = log.open("ab")
        proc = subprocess.Popen(  # noqa: S603
            args, cwd=ROOT, env=self.env, stdout=handle, stderr=subprocess.STDOUT
        )
        self.procs[name] = proc
        return proc

    def start_web(self, workers: int = 2) -> str:
        port = _free_port()
        self._start(
            "gunicorn",
            [sys.executable, "-m", "gunicorn", "project.wsgi:application"]
            + ["--bind", f"127.0.0.1:{port}", "--workers", str(workers)]
            + ["--log-level", "warning"],
        )
        self.url = f"http://127.0.0.1:{port}/helpscout/webhook/"
        deadline = time.monotonic() + 30
        while True:
            self._check_alive()
            try:
                if httpx.get(self.url, timeout=1).status_code == 405:
                    return self.url
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("The server did not come up:\n" + self.output())
            time.sleep(0.2)

    def start_worker(self, name: str = "worker") -> subprocess.Popen:
        if self.env["HS_MP_TASKS"] == "rq":
            args = ["rqworker", "default", "--job-class", "django_tasks_rq.Job"]
            args += ["--worker-class", "rq.worker.SimpleWorker"]
        else:
            args = ["db_worker", "--no-reload", "--no-startup-delay", "--worker-id", name]
        proc = self._start(name, [sys.executable, "manage.py", *args])
        # Ready once it logs its start (and its start-up recovery has looked).
        log = self.logs[-1]
        deadline = time.monotonic() + 30
        while not any(
            marker in log.read_text(errors="replace")
            for marker in ("Starting worker", "Listening on", "started with PID")
        ):
            self._check_alive()
            if time.monotonic() > deadline:
                pytest.fail(f"Worker {name} did not start:\n" + self.output())
            time.sleep(0.1)
        time.sleep(0.3)
        return proc

    def kill(self, name: str) -> None:
        """SIGKILL: no handler runs, no transaction commits, nothing is cleaned up."""
        proc = self.procs.pop(name)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)

    def _check_alive(self) -> None:
        dead = [name for name, proc in self.procs.items() if proc.poll() is not None]
        if dead:
            pytest.fail(f"{', '.join(dead)} exited:\n" + self.output())

    def output(self) -> str:
        return "\n".join(_tail(log) for log in self.logs)

    def stop(self) -> None:
        for proc in self.procs.values():
            proc.terminate()
        for proc in self.procs.values():
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        self.procs.clear()
        self._drop_database()

    # --- deliveries -------------------------------------------------------------------

    def send(self, deliveries: list[tuple[str, bytes]], concurrency: int = 8) -> list[int]:
        def post(client, event_type, body):
            return client.post(
                self.url,
                content=body,
                headers={
                    "Content-Type": "application/json",
                    "X-HelpScout-Event": event_type,
                    "X-HelpScout-Signature": compute_signature(body, SECRET),
                },
            ).status_code

        with httpx.Client(timeout=30) as client, ThreadPoolExecutor(concurrency) as pool:
            return list(pool.map(lambda d: post(client, *d), deliveries))

    def wait_for(self, predicate, timeout: float, what: str) -> float:
        """Poll until `predicate(statuses)`; returns the seconds it took."""
        start = time.monotonic()
        while True:
            statuses = self.statuses()
            if predicate(statuses):
                return time.monotonic() - start
            self._check_alive()
            if time.monotonic() - start > timeout:
                pytest.fail(
                    f"{what}: not within {timeout:.0f} s (events: {dict(statuses)}):\n"
                    + self.output()
                )
            time.sleep(0.05)
