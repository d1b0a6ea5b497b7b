"""No lost wake-ups and crash recovery, proven with real processes.

A gunicorn server (its own processes, each with its own locmem cache, as a new Django
project has) and task workers in separate processes, on a scratch database of the kind
the suite runs on (SQLite file or PostgreSQL). Deliveries are sent over HTTP; the test
waits for the database to show them processed, and sends nothing more while it waits.
"""

from __future__ import annotations

import json
import time

import pytest

from helpscout_integration.webhooks import drain

from . import payloads
from .multiprocess import Stack


def _deliveries(first: int, count: int) -> list[tuple[str, bytes]]:
    return [
        ("convo.created", json.dumps(payloads.conversation(first + i, minutes=i % 60)).encode())
        for i in range(count)
    ]


@pytest.fixture
def stack(tmp_path, request):
    params = getattr(request, "param", {})
    s = Stack(tmp_path, **params)
    try:
        yield s
    finally:
        s.stop()


def _all_processed(total):
    return lambda statuses: (
        statuses.get("processed", 0) == total and sum(statuses.values()) == total
    )


def _every_delivery_processed_within_seconds(stack: Stack) -> None:
    stack.start_web(workers=2)
    stack.start_worker()
    # One delivery at a time, each waited for with nothing sent meanwhile: with a flag
    # the worker cannot clear (locmem), the second delivery to a web process used to
    # wait for a later delivery or a cron.
    for n in range(4):
        assert stack.send(_deliveries(1001 + n, 1)) == [200]
        stack.wait_for(_all_processed(n + 1), 8, f"single delivery #{n + 1}")
    # A burst, then silence.
    assert stack.send(_deliveries(2001, 300)) == [200] * 300
    stack.wait_for(_all_processed(304), 30, "a burst of 300")


@pytest.mark.parametrize(
    "stack",
    [{"cache": "locmem"}, {"cache": "database"}, {"cache": "dummy"}],
    indirect=True,
    ids=["locmem", "database-cache", "no-cache"],
)
def test_every_delivery_is_processed_within_seconds_by_a_separate_db_worker(stack):
    _every_delivery_processed_within_seconds(stack)


@pytest.mark.redis
@pytest.mark.parametrize(
    "stack",
    [{"cache": "redis", "tasks": "rq"}, {"cache": "locmem", "tasks": "rq"}],
    indirect=True,
    ids=["redis-cache", "locmem"],
)
def test_every_delivery_is_processed_within_seconds_by_an_rq_worker(stack):
    import os

    if not os.environ.get("REDIS_URL"):
        pytest.fail("REDIS_URL is not set: the Redis/RQ test cannot run (see .ci/run).")
    _every_delivery_processed_within_seconds(stack)


@pytest.mark.parametrize("stack", [{"HS_MP_SLOW_MS": "250"}], indirect=True)
def test_a_worker_killed_mid_batch_strands_nothing(stack):
    stack.start_web(workers=1)
    stack.start_worker("worker-a")
    stack.start_worker("worker-b")

    def kill_the_draining_worker(first: int) -> int:
        """Send a burst, SIGKILL the worker running its drain mid-batch; events left."""
        time.sleep(drain.PROMISE_SECONDS * 1.5)  # no promise left: the burst queues one drain
        total_before = sum(stack.statuses().values())
        assert stack.send(_deliveries(first, 20)) == [200] * 20
        total = total_before + 20
        stack.wait_for(
            lambda s: s.get("processed", 0) >= total_before + 3 and not stack.drains("READY"),
            20,
            "the drain under way, nothing else queued",
        )
        running = stack.drains("RUNNING")  # with the rows of drains killed before
        victims = [name for name in stack.procs if any(name in row for row in running)]
        assert len(victims) == 1, (running, list(stack.procs), stack.statuses())
        (victim,) = victims
        stack.kill(victim)
        left = stack.statuses().get("received", 0)
        assert left >= 8, "killed mid-batch"
        time.sleep(2)  # the promise has expired; nothing else is queued
        assert stack.statuses().get("received", 0) == left, "stranded until something happens"
        return total

    # 1. The next delivery: the surviving worker processes the dead drain's events too.
    total = kill_the_draining_worker(3001) + 1
    assert stack.send(_deliveries(3501, 1)) == [200]
    stack.wait_for(_all_processed(total), 15, "after the next delivery")

    # 2. The next worker start, with no delivery at all.
    (survivor,) = [name for name in stack.procs if name.startswith("worker")]
    total = kill_the_draining_worker(4001)
    assert survivor not in stack.procs
    stack.start_worker("worker-c")
    stack.wait_for(_all_processed(total), 15, "after the next worker start")

    # Each event was processed exactly once; the killed drains' task rows stay RUNNING
    # (django-tasks-db cannot tell a dead worker from a slow one), which nothing relies on.
    assert stack.query("SELECT COUNT(*) FROM helpscout_integration_webhookevent "
                       "WHERE attempts <> 1")[0][0] == 0  # fmt: skip
    running = stack.drains("RUNNING")
    assert sum(any(name in row for name in ("worker-a", "worker-b")) for row in running) == 2
