"""Webhook intake benchmark: our view against a bare one-INSERT Django view, one run.

Starts the demo project under gunicorn on loopback (settings and the bare view in
`benchmarks/webhooks_site.py`), on PostgreSQL (DATABASE_URL, default the scratch
database `hs_webhooks`), then a separate load-generator process sends signed,
Help Scout-shaped deliveries with httpx from several threads, alternating rounds
between the bare view and `helpscout:webhook`. Prints accepted events/s and p50/p99
latency for each, the task rows queued, and the ratios. Goal: our view costs <= 1.5x
the bare view.

No worker runs in the cost run: a delivery queues a drain only when its process has
no promise (at most one a second per process), as in production.

The freshness run then measures webhook-to-mirror latency with a worker: for each of
locmem + django-tasks-db, the database cache + django-tasks-db, and Redis + RQ (when
Redis answers at REDIS_URL), gunicorn (2 workers) and a separate task worker run, and
the load generator sends deliveries at a steady rate (default 50/s) and then a burst
(default 1,000), recording when each POST got its 200 and polling the mirror until
each conversation is there: p50/p99/max of the difference, and the time the whole
burst took. Goals: p99 <= 1 s at 50/s; the burst processed within 30 s.

Usage: python benchmarks/webhooks.py [--part all|cost|freshness] [--count 1000]
                                     [--concurrency 8] [--rounds 7] [--gunicorn-workers 2]
                                     [--rate 50] [--seconds 10] [--burst 1000]
                                     [--task-workers 1]
       BENCH_CONN_MAX_AGE=0 python benchmarks/webhooks.py   # a new connection per request
The scratch database is created when missing.
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
sys.path.insert(0, str(HERE))
from scratch_db import ensure_database  # noqa: E402

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


# --- freshness: webhook-to-mirror latency with a worker ---------------------------------


def freshness_load(url: str, first_id: int, rate: float, seconds: float, burst: int) -> dict:
    """(In a Django process) steady deliveries then a burst; latency from 200 to mirror row."""
    import threading

    import django
    import httpx

    django.setup()
    from helpscout_integration.models import Conversation
    from helpscout_integration.webhooks.signature import compute_signature

    answered: dict[int, float] = {}
    seen: dict[int, float] = {}
    lock = threading.Lock()
    stop = threading.Event()

    def watch():
        """Poll the mirror; a conversation's time is the first poll that shows it."""
        while not stop.is_set():
            with lock:
                pending = [i for i in answered if i not in seen]
            if pending:
                now = time.time()
                for cid in Conversation.objects.filter(
                    id__in=pending, is_placeholder=False
                ).values_list("id", flat=True):
                    seen[cid] = now
            time.sleep(0.01)

    def post(client, cid):
        body = json.dumps(_conversation(cid)).encode()
        response = client.post(
            url,
            content=body,
            headers={
                "Content-Type": "application/json",
                "X-HelpScout-Event": "convo.created",
                "X-HelpScout-Signature": compute_signature(body, SECRET),
            },
        )
        assert response.status_code == 200, response.text
        with lock:
            answered[cid] = time.time()

    def wait_all(ids, timeout):
        deadline = time.time() + timeout
        while time.time() < deadline and any(i not in seen for i in ids):
            time.sleep(0.05)

    def stats(ids):
        lat = sorted(max(0.0, seen[i] - answered[i]) for i in ids if i in seen)
        if not lat:
            return {"p50": None, "p99": None, "max": None, "missing": len(ids)}
        return {
            "p50": lat[len(lat) // 2],
            "p99": lat[min(len(lat) - 1, int(len(lat) * 0.99))],
            "max": lat[-1],
            "missing": len(ids) - len(lat),
        }

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    result = {}
    limits = httpx.Limits(max_connections=16, max_keepalive_connections=16)
    with httpx.Client(timeout=30, limits=limits) as client, ThreadPoolExecutor(16) as pool:
        steady = list(range(first_id, first_id + int(rate * seconds)))
        start = time.monotonic()
        futures = []
        for n, cid in enumerate(steady):  # paced: delivery n leaves at start + n / rate
            delay = start + n / rate - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            futures.append(pool.submit(post, client, cid))
        for future in futures:
            future.result()
        wait_all(steady, 60)
        result["steady"] = stats(steady)
        time.sleep(3)  # idle: the burst starts with no drain running
        bursty = list(range(first_id + 100_000, first_id + 100_000 + burst))
        began = time.time()
        for future in [pool.submit(post, client, cid) for cid in bursty]:
            future.result()
        wait_all(bursty, 120)
        result["burst"] = stats(bursty)
        done = [seen[i] for i in bursty if i in seen]
        result["burst"]["all_within_s"] = (max(done) - began) if len(done) == burst else None
        result["burst"]["sent_s"] = max(answered[i] for i in bursty) - began
    stop.set()
    watcher.join()
    return result


def _conversation(cid: int) -> dict:
    sys.path.insert(0, str(ROOT))
    from tests.webhooks.payloads import conversation

    return conversation(cid, subject=f"Fresh #{cid}", minutes=cid % 600)


def _redis_answers(url: str) -> bool:
    import importlib.util

    if importlib.util.find_spec("django_tasks_rq") is None:
        return False
    try:
        import redis

        return bool(redis.Redis.from_url(url, socket_timeout=1).ping())
    except Exception:
        return False


def freshness(args, database_url: str) -> list[tuple[str, dict]]:
    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    setups = [
        ("locmem cache, django-tasks-db", {"BENCH_CACHE": "locmem"}),
        ("database cache, django-tasks-db", {"BENCH_CACHE": "database"}),
    ]
    if _redis_answers(redis_url):
        setups.append(("Redis cache, RQ", {"BENCH_CACHE": "redis", "BENCH_TASKS": "rq"}))
    else:
        print(f"(Redis/RQ setup skipped: no Redis at {redis_url} or the [redis] extra missing)")
    results = []
    for n, (name, extra) in enumerate(setups):
        env = {
            **_env(database_url),
            "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
            "REDIS_URL": redis_url,
            **extra,
        }
        _prepare(env)
        if extra.get("BENCH_CACHE") == "database":
            subprocess.run(
                [sys.executable, str(ROOT / "manage.py"), "createcachetable"],
                env=env,
                check=True,
                cwd=ROOT,
            )
        port = _free_port()
        procs = [
            subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "project.wsgi:application"]
                + ["--bind", f"127.0.0.1:{port}", "--workers", str(args.gunicorn_workers)]
                + ["--log-level", "warning"],
                env=env,
                cwd=ROOT,
            )
        ]
        if extra.get("BENCH_TASKS") == "rq":
            worker = ["rqworker", "default", "--job-class", "django_tasks_rq.Job"]
            worker += ["--worker-class", "rq.worker.SimpleWorker"]
        else:
            worker = ["db_worker", "--no-reload", "-v0"]
        for _ in range(args.task_workers):
            procs.append(
                subprocess.Popen(
                    [sys.executable, str(ROOT / "manage.py"), *worker],
                    env=env,
                    cwd=ROOT,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
        try:
            _wait_up(f"http://127.0.0.1:{port}")
            time.sleep(2)  # the worker is up
            out = subprocess.run(
                [sys.executable, __file__, "--freshness-load", f"http://127.0.0.1:{port}"]
                + ["--first-id", str(1_000_000 * (n + 1)), "--rate", str(args.rate)]
                + ["--seconds", str(args.seconds), "--burst", str(args.burst)],
                env=env,
                check=True,
                capture_output=True,
                text=True,
                cwd=ROOT,
            )
            results.append((name, json.loads(out.stdout.strip().splitlines()[-1])))
        finally:
            for proc in procs:
                proc.terminate()
            for proc in procs:
                try:  # a worker finishes its task first
                    proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
    return results


def _wait_up(base: str) -> None:
    import httpx

    for _ in range(150):
        try:
            httpx.get(f"{base}/helpscout/webhook/", timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.1)


def print_freshness(args, results) -> None:
    def ms(value):
        return "-" if value is None else f"{1000 * value:.0f}"

    print(
        f"Webhook-to-mirror freshness: gunicorn {args.gunicorn_workers} workers + "
        f"{args.task_workers} separate task worker(s); steady {args.rate:g}/s for "
        f"{args.seconds:g} s, then a burst of {args.burst}"
    )
    print(f"{'setup':<34} {'run':<7} {'p50 ms':>7} {'p99 ms':>7} {'max ms':>7} {'missing':>8}")
    for name, result in results:
        for run in ("steady", "burst"):
            r = result[run]
            print(
                f"{name:<34} {run:<7} {ms(r['p50']):>7} {ms(r['p99']):>7} {ms(r['max']):>7} "
                f"{r['missing']:>8}"
            )
        steady_ok = result["steady"]["p99"] is not None and result["steady"]["p99"] <= 1.0
        within = result["burst"]["all_within_s"]
        burst_ok = within is not None and within <= 30
        print(
            f"{'':<34} goals: steady p99 <= 1 s {'met' if steady_ok else 'NOT met'}; burst "
            f"all processed in {within if within is None else f'{within:.1f}'} s "
            f"(sent in {result['burst']['sent_s']:.1f} s), <= 30 s "
            f"{'met' if burst_ok else 'NOT met'}"
        )


# --- main ---------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--part", choices=["all", "cost", "freshness"], default="all")
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--gunicorn-workers", type=int, default=2)
    parser.add_argument("--rate", type=float, default=50)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--burst", type=int, default=1000)
    parser.add_argument("--task-workers", type=int, default=1, help="freshness run's workers")
    parser.add_argument(
        "--task-backend",
        default="django_tasks_db.DatabaseBackend",
        help="Where the view enqueues processing in the cost run (default: the demo's "
        "database backend; django_tasks.backends.dummy.DummyBackend: no queue).",
    )
    parser.add_argument("--load", help=argparse.SUPPRESS)
    parser.add_argument("--freshness-load", help=argparse.SUPPRESS)
    parser.add_argument("--first-id", type=int, help=argparse.SUPPRESS)
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
    if args.freshness_load:
        url = f"{args.freshness_load}/helpscout/webhook/"
        result = freshness_load(url, args.first_id, args.rate, args.seconds, args.burst)
        print(json.dumps(result))
        return

    database_url = os.environ.get("DATABASE_URL", DEFAULT_DB)
    ensure_database(database_url)
    if args.part in ("all", "cost"):
        cost(args, database_url)
    if args.part in ("all", "freshness"):
        print_freshness(args, freshness(args, database_url))


def cost(args, database_url: str) -> None:
    env = {**_env(database_url), "TASKS_BACKEND": args.task_backend}
    _prepare(env)
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "project.wsgi:application"]
        + ["--bind", f"127.0.0.1:{port}", "--workers", str(args.gunicorn_workers)]
        + ["--log-level", "warning"],
        env=env,
        cwd=ROOT,
    )
    base = f"http://127.0.0.1:{port}"
    targets = {
        "bare INSERT view": f"{base}/bare/",
        "helpscout:webhook": f"{base}/helpscout/webhook/",
    }
    try:
        _wait_up(base)
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
        server.terminate()
        server.wait(timeout=15)

    print(
        f"Webhook intake: {args.count} signed deliveries x {args.rounds} rounds, "
        f"{args.concurrency} concurrent, gunicorn {args.gunicorn_workers} sync workers, "
        f"{database_url.split('://')[0]} database, "
        f"CONN_MAX_AGE={os.environ.get('BENCH_CONN_MAX_AGE', '600')}, "
        f"tasks: {args.task_backend.rsplit('.', 1)[-1]}, locmem cache, no worker"
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
    cost_ratio = statistics.median(pairs)
    print(
        f"cost ratio (bare events/s / ours), median of {len(pairs)} paired rounds: "
        f"{cost_ratio:.2f}x (rounds: {', '.join(f'{p:.2f}' for p in pairs)})"
    )
    print(
        f"p50 ratio: {ours[1] / bare[1]:.2f}x   p99 ratio: {ours[2] / bare[2]:.2f}x   "
        f"goal <= 1.5x: {'met' if cost_ratio <= 1.5 else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
