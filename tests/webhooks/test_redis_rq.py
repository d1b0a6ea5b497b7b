"""Distributed processing on Redis/RQ: real server process, real workers, 1,000 deliveries.

Runs only with REDIS_URL set (or under `-m redis`, where a missing REDIS_URL fails the
test instead of skipping it). Needs PostgreSQL: the web server and the RQ workers are
separate processes that must see the test database, so they get its name through
DATABASE_URL. `.ci/run` runs it with `-m redis`.
"""

from __future__ import annotations

import os
import random
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from django.db import connection

from helpscout_integration.models import Conversation, Thread, WebhookEvent
from helpscout_integration.webhooks.signature import compute_signature

from . import payloads
from .conftest import encode

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
SECRET = "rq-test-secret"
UNIQUE = 950
DUPLICATES = 50
WORKERS = 2


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _database_url() -> str:
    s = connection.settings_dict
    auth = quote(s["USER"] or "postgres")
    if s.get("PASSWORD"):
        auth += ":" + quote(s["PASSWORD"])
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def _tail(path: Path, lines: int = 30) -> str:
    return (
        "\n".join(path.read_text(errors="replace").splitlines()[-lines:]) if path.exists() else ""
    )


@pytest.fixture
def rq_stack(transactional_db, tmp_path):
    redis_url = os.environ.get("REDIS_URL")
    if not redis_url:
        pytest.fail("REDIS_URL is not set: the Redis/RQ test cannot run (see .ci/run).")
    if connection.vendor != "postgresql":
        pytest.fail(
            "The Redis/RQ test needs PostgreSQL (DATABASE_URL=postgres://...): the server "
            "and worker processes must share the test database."
        )
    import redis
    from rq import Queue
    from rq.registry import FailedJobRegistry, FinishedJobRegistry

    conn = redis.Redis.from_url(redis_url)
    try:
        conn.ping()
    except redis.RedisError as exc:
        pytest.fail(f"Redis at REDIS_URL is unreachable: {exc}")
    queue = Queue("default", connection=conn)

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.webhooks.rq_settings",
        "DATABASE_URL": _database_url(),
        "REDIS_URL": redis_url,
        "HELPSCOUT_WEBHOOK_SECRET": SECRET,
        "PYTHONPATH": str(ROOT),
        # The processes share a Redis cache (the drain flag); keys of earlier runs stay
        # out of the way.
        "HELPSCOUT_TEST_CACHE_PREFIX": f"hs-rq-test-{os.getpid()}-{time.time_ns()}",
    }
    port = _free_port()
    logs = []
    procs = []

    def start(name, args):
        log = tmp_path / f"{name}.log"
        logs.append(log)
        handle = log.open("wb")
        procs.append(
            subprocess.Popen(args, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT)  # noqa: S603
        )

    start(
        "gunicorn",
        [
            sys.executable,
            "-m",
            "gunicorn",
            "project.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--log-level",
            "warning",
        ],
    )
    for n in range(WORKERS):
        start(
            f"rqworker-{n}",
            [
                sys.executable,
                "manage.py",
                "rqworker",
                "default",
                "--job-class",
                "django_tasks_rq.Job",
                "--worker-class",
                "rq.worker.SimpleWorker",
            ],
        )
    url = f"http://127.0.0.1:{port}/helpscout/webhook/"
    deadline = time.monotonic() + 30
    while True:
        dead = [p for p in procs if p.poll() is not None]
        if dead:
            pytest.fail("A child process exited:\n" + "\n".join(_tail(log) for log in logs))
        try:
            if httpx.get(url, timeout=1).status_code == 405:
                break
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            pytest.fail("The server did not come up:\n" + _tail(logs[0]))
        time.sleep(0.2)
    try:
        # Redis outlives test runs: earlier runs' jobs sit in these registries and expire
        # while this one runs, so the test counts the ids that are new, not the totals.
        yield url, logs, FailedJobRegistry(queue=queue), FinishedJobRegistry(queue=queue)
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def _send(client: httpx.Client, url: str, event_type: str, body: bytes) -> int:
    return client.post(
        url,
        content=body,
        headers={
            "Content-Type": "application/json",
            "X-HelpScout-Event": event_type,
            "X-HelpScout-Signature": compute_signature(body, SECRET),
        },
    ).status_code


def _send_all(url: str, deliveries: list[tuple[str, bytes]]) -> list[int]:
    with httpx.Client(timeout=30) as client, ThreadPoolExecutor(8) as pool:
        return list(pool.map(lambda d: _send(client, url, *d), deliveries))


def _wait_until_processed(expected: int, logs, timeout: float = 180.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        done = WebhookEvent.objects.exclude(status="received").count()
        if done >= expected:
            return
        if time.monotonic() > deadline:
            pytest.fail(
                f"Only {done}/{expected} events processed in {timeout:.0f}s:\n"
                + "\n".join(_tail(log) for log in logs)
            )
        time.sleep(0.25)


def test_thousand_deliveries_processed_exactly_once_by_rq_workers(rq_stack):
    url, logs, failed_jobs, finished_jobs = rq_stack
    failed_before = set(failed_jobs.get_job_ids())
    finished_before = set(finished_jobs.get_job_ids())
    bodies = {
        1001 + i: encode(payloads.conversation(1001 + i, subject=f"Order #{i}", minutes=i % 60))
        for i in range(UNIQUE)
    }
    statuses = _send_all(url, [("convo.created", body) for body in bodies.values()])
    assert statuses == [200] * UNIQUE
    _wait_until_processed(UNIQUE, logs)

    # Help Scout retries some deliveries: the same bytes arrive again. A repeat is counted
    # on the first row (docs/webhooks.md, "Repeats"), and a processed event's repeat
    # queues nothing and changes nothing.
    retried = random.Random(5).sample(sorted(bodies), DUPLICATES)
    statuses = _send_all(url, [("convo.created", bodies[i]) for i in retried])
    assert statuses == [200] * DUPLICATES

    events = WebhookEvent.objects.all()
    assert events.count() == UNIQUE
    assert not events.filter(status="failed").exists(), events.filter(status="failed").first()
    assert events.filter(status="processed", attempts=1).count() == UNIQUE
    assert set(events.values_list("resource_id", flat=True)) == set(bodies)
    assert sorted(events.filter(deliveries=2).values_list("resource_id", flat=True)) == sorted(
        retried
    )
    assert events.filter(deliveries=1).count() == UNIQUE - DUPLICATES
    assert not events.filter(processed_at__isnull=True).exists()

    conversations = Conversation.objects.filter(is_placeholder=False)
    assert conversations.count() == UNIQUE
    assert Thread.objects.count() == UNIQUE
    assert dict(conversations.values_list("id", "subject")) == {
        1001 + i: f"Order #{i}" for i in range(UNIQUE)
    }
    assert set(failed_jobs.get_job_ids()) - failed_before == set()
    # The work really went through Redis, in drain jobs that each served a burst of
    # deliveries: fewer jobs than deliveries, and none failed.
    jobs = len(set(finished_jobs.get_job_ids()) - finished_before)
    assert 2 <= jobs < UNIQUE + DUPLICATES
