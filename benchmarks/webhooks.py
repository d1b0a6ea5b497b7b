"""Webhook intake benchmark: our view against a bare one-INSERT Django view, one run.

Starts the demo project under gunicorn on loopback (settings and the bare view in
`benchmarks/webhooks_site.py`), on PostgreSQL (DATABASE_URL, default the scratch
database `hs_webhooks`), then a separate load-generator process sends signed,
Help Scout-shaped deliveries with httpx from several threads, alternating rounds
between the bare view and `helpscout:webhook`. Prints accepted events/s and p50/p99
latency for each, the task rows queued, and the ratios. Goal: our view costs <= 1.5x
the bare view.

No worker runs, so a queued drain task never starts and clears its flag: a delivery
queues a task only when the flag (60 s) is absent. A second server with no cache
(`BENCH_CACHE=dummy`) measures the other bound, every delivery queueing a task, as if
workers started a drain for each one; production sits between the two.

Usage: python benchmarks/webhooks.py [--count 1000] [--concurrency 8] [--rounds 7]
                                     [--gunicorn-workers 2]
       BENCH_CONN_MAX_AGE=0 python benchmarks/webhooks.py   # a new connection per request
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
SECRET = "bench-webhook-secret"
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/hs_webhooks"


# --- load generator (runs in its own process) ---------------------------------------------


def _body(i: int) -> bytes:
    sys.path.insert(0, str(ROOT))
    from tests.webhooks.payloads import conversation

    return json.dumps(
        conversation(100_000 + i, subject=f"Benchmark #{i}", minutes=i % 600)
    ).encode()


def load(url: str, count: int, concurrency: int) -> dict:
    """Send `count` signed deliveries to `url`; return throughput and latency percentiles."""
    import httpx

    sys.path.insert(0, str(ROOT))
    from helpscout_integration.webhooks.signature import compute_signature

    bodies = [_body(i) for i in range(count)]
    signed = [(b, compute_signature(b, SECRET)) for b in bodies]
    latencies: list[float] = []
    failures = 0
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    with httpx.Client(timeout=30, limits=limits) as client:

        def send(item):
            body, signature = item
            start = time.perf_counter()
            response = client.post(
                url,
                content=body,
                headers={
                    "Content-Type": "application/json",
                    "X-HelpScout-Event": "convo.created",
                    "X-HelpScout-Signature": signature,
                },
            )
            return time.perf_counter() - start, response.status_code

        started = time.perf_counter()
        with ThreadPoolExecutor(concurrency) as pool:
            for seconds, status in pool.map(send, signed):
                latencies.append(seconds)
                failures += status != 200
        elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "count": count,
        "failures": failures,
        "per_second": count / elapsed,
        "p50_ms": 1000 * latencies[len(latencies) // 2],
        "p99_ms": 1000 * latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))],
    }


# --- orchestration ------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _env(database_url: str) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "webhooks_site",
        "PYTHONPATH": os.pathsep.join([str(HERE), str(ROOT)]),
        "BENCH_WEBHOOK_SECRET": SECRET,
    }


def _prepare(env: dict) -> None:
    """Migrate, create the bare view's table, and empty what earlier runs left."""
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, cwd=ROOT)
    subprocess.run([sys.executable, __file__, "--prepare"], env=env, check=True, cwd=ROOT)


def prepare_tables() -> None:
    """(In a Django process) the bare view's table, and no rows left from earlier runs."""
    import django

    django.setup()
    from django.db import connection
    from django_tasks_db.models import DBTaskResult
    from webhooks_urls import BARE_TABLE

    from helpscout_integration.models import WebhookEvent

    postgres = connection.vendor == "postgresql"
    columns = (
        "id bigserial PRIMARY KEY, body bytea"
        if postgres
        else "id integer PRIMARY KEY AUTOINCREMENT, body blob"
    )
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE IF NOT EXISTS {BARE_TABLE} ({columns})")
        cursor.execute(f"DELETE FROM {BARE_TABLE}")
    WebhookEvent.objects.all().delete()
    DBTaskResult.objects.all().delete()


def count_tasks() -> int:
    """(In a Django process) task rows queued so far."""
    import django

    django.setup()
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.count()


def _tasks_queued(env: dict) -> int:
    out = subprocess.run(
        [sys.executable, __file__, "--count-tasks"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    return int(out.stdout.strip())


def _run_load(url: str, count: int, concurrency: int) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--load", url, "--count", str(count)]
        + ["--concurrency", str(concurrency)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--gunicorn-workers", type=int, default=2)
    parser.add_argument(
        "--task-backend",
        default="django_tasks_db.DatabaseBackend",
        help="Where the view enqueues processing (default: the demo's database backend; "
        "django_tasks.backends.dummy.DummyBackend measures the view without a queue).",
    )
    parser.add_argument("--load", help=argparse.SUPPRESS)
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--count-tasks", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.prepare:
        prepare_tables()
        return
    if args.count_tasks:
        print(count_tasks())
        return
    if args.load:
        print(json.dumps(load(args.load, args.count, args.concurrency)))
        return

    database_url = os.environ.get("DATABASE_URL", DEFAULT_DB)
    env = {**_env(database_url), "TASKS_BACKEND": args.task_backend}
    _prepare(env)
    servers, bases = [], []
    # Server A: the demo's configuration. Server B: no drain flag (DummyCache), so every
    # delivery queues its own task, the bound for when workers start drains at once.
    for extra in ({}, {"BENCH_CACHE": "dummy"}):
        port = _free_port()
        servers.append(
            subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "project.wsgi:application"]
                + ["--bind", f"127.0.0.1:{port}", "--workers", str(args.gunicorn_workers)]
                + ["--log-level", "warning"],
                env={**env, **extra},
                cwd=ROOT,
            )
        )
        bases.append(f"http://127.0.0.1:{port}")
    targets = {
        "bare INSERT view": f"{bases[0]}/bare/",
        "helpscout:webhook": f"{bases[0]}/helpscout/webhook/",
        "  every delivery queues": f"{bases[1]}/helpscout/webhook/",
    }
    try:
        import httpx

        for base in bases:
            for _ in range(150):
                try:
                    httpx.get(f"{base}/helpscout/webhook/", timeout=1)
                    break
                except httpx.TransportError:
                    time.sleep(0.1)
        for url in targets.values():  # warm up all: imports, connections, caches
            _run_load(url, 200, args.concurrency)
        results: dict[str, list[dict]] = {name: [] for name in targets}
        tasks: dict[str, int] = dict.fromkeys(targets, 0)
        for _ in range(args.rounds):
            for name, url in targets.items():
                before = _tasks_queued(env)
                results[name].append(_run_load(url, args.count, args.concurrency))
                tasks[name] += _tasks_queued(env) - before
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=15)

    print(
        f"Webhook intake: {args.count} signed deliveries x {args.rounds} rounds, "
        f"{args.concurrency} concurrent, gunicorn {args.gunicorn_workers} sync workers, "
        f"{database_url.split('://')[0]} database, "
        f"CONN_MAX_AGE={os.environ.get('BENCH_CONN_MAX_AGE', '600')}, "
        f"tasks: {args.task_backend.rsplit('.', 1)[-1]}"
    )
    header = f"{'view':<24} {'events/s':>10} {'p50 ms':>8} {'p99 ms':>8} {'failed':>7}"
    print(f"{header} {'tasks queued':>13}")
    summary = {}
    for name, runs in results.items():
        rate = statistics.median(r["per_second"] for r in runs)
        p50 = statistics.median(r["p50_ms"] for r in runs)
        p99 = statistics.median(r["p99_ms"] for r in runs)
        failed = sum(r["failures"] for r in runs)
        summary[name] = (rate, p50, p99)
        queued = "-" if name.startswith("bare") else f"{tasks[name]}/{args.count * args.rounds}"
        print(f"{name:<24} {rate:>10.0f} {p50:>8.2f} {p99:>8.2f} {failed:>7} {queued:>13}")
    bare, ours = summary["bare INSERT view"], summary["helpscout:webhook"]
    # Each round runs the two views back to back, so a round's ratio compares them under
    # the same machine load; the median over rounds is the figure to read.
    pairs = [
        b["per_second"] / o["per_second"]
        for b, o in zip(results["bare INSERT view"], results["helpscout:webhook"], strict=True)
    ]
    cost = statistics.median(pairs)
    print(
        f"cost ratio (bare events/s / ours), median of {len(pairs)} paired rounds: {cost:.2f}x "
        f"(rounds: {', '.join(f'{p:.2f}' for p in pairs)})"
    )
    print(
        f"p50 ratio: {ours[1] / bare[1]:.2f}x   p99 ratio: {ours[2] / bare[2]:.2f}x   "
        f"goal <= 1.5x: {'met' if cost <= 1.5 else 'NOT met'}"
    )
    every = results["  every delivery queues"]
    uncoalesced = [
        b["per_second"] / o["per_second"]
        for b, o in zip(results["bare INSERT view"], every, strict=True)
    ]
    print(
        f"every delivery queueing a task (no drain flag): {statistics.median(uncoalesced):.2f}x "
        "the bare view (the upper bound, were workers to start a drain for each delivery)"
    )


if __name__ == "__main__":
    main()
