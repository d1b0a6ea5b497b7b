"""Sync benchmark: ingest rate, local cost per page, rate-limit usage, request economy.

Runs against the sandbox seeded with `large:N` (20000 by default) and prints, in one run:

(a) conversations per second ingested by a full sync with the rate limit off, on SQLite
    and, when DATABASE_URL is set, on PostgreSQL (each in its own subprocess and fresh
    test database);
(b) milliseconds of local cost per 25-conversation page (parsing, bulk upserts, cursor,
    commits), goal <= 15 ms (10% of the 150 ms a request is worth at 400 requests/minute):
    the engine as shipped ingesting pages that are already here (recorded from the
    sandbox, replayed from memory: the case where Help Scout is not the bottleneck and
    pages share commits), and time outside HTTP in a sequential run (one commit a page,
    the case where each page waits on the network);
(c) with the sandbox enforcing 400 requests/minute on a scaled clock (sandbox
    `time_scale`, client `rate_limit_window = 60 / time_scale`), the achieved request
    rate over whole windows of the sandbox's own minute as a fraction of the ceiling
    (goal >= 0.95), and the 429s;
(d) requests needed for the same conversations and threads fetched one request per
    conversation's threads (the tap-helpscout pattern) against ours (`embed=threads`);
(e) a first full sync of `large:100000` (`--open-first-conversations`) at 400
    requests/minute on the sandbox's scaled clock, as in (c): requests and sandbox-clock
    minutes until every open (active or pending) conversation is mirrored and for the
    whole sync, and the open phase's requests against the minimum, ceil(open / 25)
    (goal <= 1.1x).

Two more, only when asked for with --parts (they take minutes):

(m) peak RSS of a `manage.py helpscout_sync --full` process for `large:20000` and
    `large:200000` (--memory-sizes), a fresh SQLite file each: goal within +10%;
(g) on PostgreSQL (DATABASE_URL), local cost per page of the recorded pages replayed into
    an empty mirror and into one already holding 1,000,000 conversations (--mirrored),
    goal within 1.2x; the --full sweep's query over that mirror timed, the writer's
    lookups EXPLAINed.

Usage: python benchmarks/sync.py [--conversations 20000] [--time-scale 1] [--windows 3]
                                 [--parts abcde|m|g] [--open-first-conversations 100000]

(c) runs at Help Scout's real rate by default (time scale 1: 400 requests per real
minute). A larger time scale shortens the run but is only valid while the sandbox, on the
same cores, can serve faster than the scaled ceiling: on a slow machine it measures the
sandbox instead of the sync (see docs/performance.md).
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import os
import pickle
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")

NO_LIMIT = 10**9  # "rate limit off" for the client's proactive limiter


def _django(database_url: str | None):
    """Set Django up on a fresh database: a new SQLite file, or a PostgreSQL test database."""
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    import django

    django.setup()
    from django.db import connection

    if connection.vendor == "sqlite":  # a fresh file (Django would test in memory)
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        return None
    from django.test.utils import setup_databases

    return setup_databases(verbosity=0, interactive=False)


def _teardown(old_config):
    if old_config is None:
        return
    from django.test.utils import teardown_databases

    teardown_databases(old_config, verbosity=0)


def _client(settings: dict, **kwargs):
    from helpscout_integration.client import HelpScoutClient

    return HelpScoutClient(
        app_id=settings["APP_ID"],
        app_secret=settings["APP_SECRET"],
        api_base_url=settings["API_BASE_URL"],
        token_url=settings.get("TOKEN_URL") or None,
        **kwargs,
    )


class TimedPages:
    """Wraps a client resource so the time spent waiting for pages (HTTP) is measured."""

    def __init__(self, resource, record: dict | None = None):
        self.resource = resource
        self.http_seconds = 0.0
        self.http_cpu_seconds = 0.0
        self.pages_fetched = 0
        self.record = record  # (start_page, params) -> first page answered, for a replay

    def __getattr__(self, name):
        return getattr(self.resource, name)

    def pages(self, start_page=1, **params):
        iterator = iter(self.resource.pages(start_page=start_page, **params))
        while True:
            started, cpu = time.perf_counter(), time.process_time()
            try:
                page = next(iterator)
                if self.record is not None:  # timed with HTTP: not the sync's own work
                    # Kept as bytes: a growing graph of live dicts would slow every
                    # garbage collection of the run being measured.
                    self.record.setdefault(_request_key(start_page, params), pickle.dumps(page))
            except StopIteration:
                return
            finally:
                self.http_seconds += time.perf_counter() - started
                self.http_cpu_seconds += time.process_time() - cpu
            self.pages_fetched += 1
            yield page


def _request_key(start_page: int, params: dict) -> tuple:
    return (start_page, tuple(sorted(params.items())))


def _load_record(path: str) -> dict:
    """The pages a recorded run received, by request, unpickled (see `TimedPages`)."""
    with open(path, "rb") as recorded:
        return {key: pickle.loads(page) for key, page in pickle.load(recorded).items()}


class ReplayedPages:
    """Serves the pages a recorded run received, for the same requests, from memory."""

    def __init__(self, record: dict):
        self.record = record
        self.pages_served = 0

    def pages(self, start_page=1, **params):
        key = _request_key(start_page, params)
        if key not in self.record:
            raise RuntimeError(f"the replay asked for a page the recording lacks: {key}")
        self.pages_served += 1
        yield self.record[key]


# --- (a) + (b): one backend, in a subprocess ---------------------------------------------


def worker_ingest(
    settings: dict, database_url: str | None, prefetch: bool, record_to: str | None = None
) -> dict:
    old = _django(database_url)
    try:
        from django.db import connection

        from helpscout_integration.models import Conversation, Thread
        from helpscout_integration.sync.engine import SyncEngine

        with _client(settings, rate_limit_per_minute=NO_LIMIT) as client:
            engine = SyncEngine(client, prefetch=prefetch)
            engine.run(["mailboxes", "agents", "tags"], full=True)
            record = {} if record_to else None
            timed = TimedPages(client.conversations, record)
            client.conversations = timed
            started, cpu = time.perf_counter(), time.process_time()
            report = engine.run(["conversations"], full=True)
            seconds = time.perf_counter() - started
            cpu_seconds = time.process_time() - cpu
        if record_to:
            with open(record_to, "wb") as out:
                pickle.dump(record, out, protocol=pickle.HIGHEST_PROTOCOL)
        pages = report.resources["conversations"].pages
        local = seconds - timed.http_seconds
        return {
            "backend": connection.vendor,
            "conversations": Conversation.objects.count(),
            "threads": Thread.objects.count(),
            "pages": pages,
            "seconds": round(seconds, 2),
            "conversations_per_second": round(Conversation.objects.count() / seconds, 1),
            "http_seconds": round(timed.http_seconds, 2),
            "local_ms_per_page": round(1000 * local / max(pages, 1), 2),
            # CPU time of this process outside HTTP: our own cost, whatever else the
            # machine runs (it leaves out the PostgreSQL server's work and fsync waits).
            "local_cpu_ms_per_page": round(
                1000 * (cpu_seconds - timed.http_cpu_seconds) / max(pages, 1), 2
            ),
            "load_average": round(os.getloadavg()[0], 2),
        }
    finally:
        _teardown(old)


def worker_replay(settings: dict, database_url: str | None, record_from: str) -> dict:
    """(b) for the engine as shipped: pages already here, so only local work is timed."""
    old = _django(database_url)
    try:
        from django.db import connection

        from helpscout_integration.models import Conversation
        from helpscout_integration.sync.engine import SyncEngine

        record = _load_record(record_from)
        # The recording is the benchmark's, not the sync's: keep the collector off it.
        gc.freeze()
        with _client(settings, rate_limit_per_minute=NO_LIMIT) as client:
            engine = SyncEngine(client)
            engine.run(["mailboxes", "agents", "tags"], full=True)
            client.conversations = replay = ReplayedPages(record)
            started, cpu = time.perf_counter(), time.process_time()
            report = engine.run(["conversations"], full=True)
            seconds = time.perf_counter() - started
            cpu_seconds = time.process_time() - cpu
        pages = report.resources["conversations"].pages
        assert replay.pages_served == pages, "every page written was served from memory"
        return {
            "backend": connection.vendor,
            "conversations": Conversation.objects.count(),
            "pages": pages,
            "local_ms_per_page": round(1000 * seconds / max(pages, 1), 2),
            "local_cpu_ms_per_page": round(1000 * cpu_seconds / max(pages, 1), 2),
            "load_average": round(os.getloadavg()[0], 2),
        }
    finally:
        _teardown(old)


def worker_growth(
    settings: dict, database_url: str, record_from: str, prefill: int, threads_per: int
) -> dict:
    """(g): the replay of (b), into an empty mirror or one already holding `prefill`
    conversations (PostgreSQL); the sweep timed apart, the lookups EXPLAINed."""
    old = _django(database_url)
    try:
        from django.db import connection
        from django.utils import timezone
        from mirror_fill import fill_mirror

        from helpscout_integration.models import Conversation, Tag
        from helpscout_integration.sync.engine import SWEEP_CHUNK, SyncEngine, unseen_conversations

        record = _load_record(record_from)
        gc.freeze()
        with _client(settings, rate_limit_per_minute=NO_LIMIT) as client:
            engine = SyncEngine(client)
            engine.run(["mailboxes", "agents", "tags"], full=True)
            tag_id = Tag.objects.order_by("id").values_list("id", flat=True).first()
            fill = (
                fill_mirror(
                    prefill,
                    threads_per_conversation=threads_per,
                    customers=prefill // 4,
                    tag_id=tag_id,
                )
                if prefill
                else {}
            )
            mirrored_before = Conversation.objects.count()
            sweep = {"seconds": 0.0}
            full_sweep = engine._sweep_conversations

            def timed_sweep(*args):
                started = time.perf_counter()
                full_sweep(*args)
                sweep["seconds"] += time.perf_counter() - started

            engine._sweep_conversations = timed_sweep  # type: ignore[method-assign]
            client.conversations = replay = ReplayedPages(record)
            run_started = timezone.now()
            started = time.perf_counter()
            report = engine.run(["conversations"], full=True)
            seconds = time.perf_counter() - started - sweep["seconds"]
        pages = report.resources["conversations"].pages
        assert replay.pages_served == pages, "every page written was served from memory"

        # The sweep's first query alone, as the run sent it: nothing is unseen, its worst
        # case (the scan finds nothing and reads to the end); best of 3.
        query = unseen_conversations(run_started).values_list("id", flat=True)[:SWEEP_CHUNK]
        timings = []
        for _ in range(3):
            began = time.perf_counter()
            list(query.all())  # a fresh queryset each time: none caches its rows
            timings.append(time.perf_counter() - began)
        plans = {"sweep": " | ".join(line.strip() for line in query.explain().splitlines()[:3])}
        # The writer's lookups for one page of ids now mirrored, as values_where_in sends them.
        page_ids = [item["id"] for item in next(iter(record.values())).items]
        with connection.cursor() as cursor:
            for name, sql in (
                (
                    "conversations by id",
                    "SELECT id, hs_updated_at, data FROM {c} WHERE id = ANY(%s)",
                ),
                (
                    "threads by conversation",
                    "SELECT id, created_at FROM {t} WHERE conversation_id = ANY(%s)",
                ),
                ("tag links by conversation", "SELECT id FROM {l} WHERE conversation_id = ANY(%s)"),
            ):
                cursor.execute(
                    "EXPLAIN (ANALYZE, BUFFERS) "
                    + sql.format(
                        c="helpscout_integration_conversation",
                        t="helpscout_integration_thread",
                        l="helpscout_integration_conversation_tags",
                    ),
                    [page_ids],
                )
                lines = [row[0] for row in cursor.fetchall()]
                plans[name] = lines[0].strip() + " | " + lines[-1].strip()
        return {
            "mirrored_before": mirrored_before,
            "pages": pages,
            "local_ms_per_page": round(1000 * seconds / max(pages, 1), 2),
            "sweep_seconds": round(sweep["seconds"], 3),
            "sweep_query_ms": round(1000 * min(timings), 2),
            "plans": plans,
            "load_average": round(os.getloadavg()[0], 2),
            **fill,
        }
    finally:
        _teardown(old)


def growth(settings: dict, database_url: str, prefill: int, threads_per: int) -> None:
    """(g): local cost per page with `prefill` conversations mirrored vs none (PostgreSQL)."""
    from scratch_db import ensure_database

    ensure_database(database_url)
    with tempfile.TemporaryDirectory() as tmp:
        record = f"{tmp}/pages.pickle"
        _run_worker(
            "ingest",
            {
                "settings": settings,
                "database_url": f"sqlite:///{tmp}/bench-record.sqlite3",
                "prefetch": False,
                "record_to": record,
            },
            env={"DATABASE_URL": f"sqlite:///{tmp}/bench-record.sqlite3"},
        )
        runs = [
            _run_worker(
                "growth",
                {
                    "settings": settings,
                    "database_url": database_url,
                    "record_from": record,
                    "prefill": size,
                    "threads_per": threads_per,
                },
            )
            # The empty mirror before and after, to see the machine's drift in one run.
            for size in (0, prefill, 0)
        ]
    empty = {"local_ms_per_page": (runs[0]["local_ms_per_page"] + runs[2]["local_ms_per_page"]) / 2}
    full = runs[1]
    for run in runs:
        filled = (
            f" (filled in {run['fill_seconds']}s, ANALYZE {run['analyze_seconds']}s)"
            if "fill_seconds" in run
            else ""
        )
        print(
            f"(g) postgresql, {run['mirrored_before']} conversations mirrored{filled}: local "
            f"cost {run['local_ms_per_page']} ms per page replayed from memory ({run['pages']} "
            f"pages); the --full sweep {run['sweep_seconds']}s, its query alone "
            f"{run['sweep_query_ms']} ms (load average {run['load_average']})"
        )
        for name, plan in run["plans"].items():
            print(f"      {name}: {plan}")
    print(
        f"(g) cost per page, {full['mirrored_before']} mirrored / empty (mean of the two) = "
        f"{full['local_ms_per_page'] / empty['local_ms_per_page']:.2f} (goal <= 1.2)"
    )


# --- (c): rate-limit ceiling, in a subprocess (needs a database) --------------------------


class Stop(Exception):
    pass


def worker_ratelimit(
    settings: dict, time_scale: float, windows: int, limit: int, window_origin: float
) -> dict:
    import httpx

    old = _django(os.environ.get("DATABASE_URL"))
    try:
        from helpscout_integration.sync.engine import SyncEngine

        window = 60.0 / time_scale
        stamps: list[tuple[float, int]] = []

        class Recording(httpx.HTTPTransport):
            def handle_request(self, request):
                response = super().handle_request(request)
                if "/oauth2/" not in request.url.path:
                    stamps.append((time.time(), response.status_code))
                return response

        deadline = time.time() + (windows + 1.5) * window

        def hook(resource, pages_done):
            if time.time() > deadline:
                raise Stop

        with _client(
            settings,
            rate_limit_per_minute=limit,
            rate_limit_window=window,
            transport=Recording(),
        ) as client:
            engine = SyncEngine(client, page_hook=hook)
            try:
                while time.time() < deadline:
                    engine.run(["conversations"], full=True)
            except Stop:
                pass
            waits = client.stats.rate_limit_waits

        # Windows are the sandbox's own minutes (they start at `window_origin`, wall clock),
        # so each counted window is one budget of `limit` requests.
        def index_of(t: float) -> int:
            return math.floor((t - window_origin) / window)

        first = index_of(stamps[0][0]) + 1  # first whole window
        last = index_of(stamps[-1][0])  # exclusive: the last one is partial
        counts = [sum(1 for t, _ in stamps if index_of(t) == index) for index in range(first, last)]
        achieved = sum(counts) / (len(counts) * window) if counts else 0.0
        ceiling = limit / window
        return {
            "time_scale": time_scale,
            "window_seconds": round(window, 2),
            "whole_windows": len(counts),
            "requests_per_window": counts,
            "achieved_per_second": round(achieved, 2),
            "ceiling_per_second": round(ceiling, 2),
            "fraction_of_ceiling": round(achieved / ceiling, 3),
            "http_429": sum(1 for _, status in stamps if status == 429),
            "client_rate_limit_waits": waits,
        }
    finally:
        _teardown(old)


# --- (e): open work first, rate-limited, in a subprocess ------------------------------------


def worker_phases(settings: dict, time_scale: float, limit: int, open_count: int) -> dict:
    """A first full sync at Help Scout's rate on the sandbox's scaled clock: requests and
    sandbox-clock time until every open conversation is mirrored, and for the whole sync."""
    import httpx

    old = _django(os.environ.get("DATABASE_URL"))
    try:
        from helpscout_integration.models import Conversation
        from helpscout_integration.sync.engine import SyncEngine

        requests = 0
        directory_requests = 0  # mailboxes, users, tags: before the open work
        open_until: dict = {}  # requests and time when the first request past it went out
        started = time.perf_counter()

        class Counting(httpx.HTTPTransport):
            def handle_request(self, request):
                nonlocal requests, directory_requests
                path = request.url.path
                if "/oauth2/" not in path:
                    past_open = path.endswith("/customers") or request.url.params.get("status") in (
                        "closed",
                        "spam",
                    )
                    if past_open and not open_until:
                        open_until.update(requests=requests, seconds=time.perf_counter() - started)
                    if path.endswith(("/mailboxes", "/users", "/tags")) and not open_until:
                        directory_requests += 1
                    requests += 1
                return super().handle_request(request)

        mirrored_open: list[int] = []

        def hook(label, pages_done):
            if open_until and not mirrored_open:  # the first page past the open work
                mirrored_open.append(
                    Conversation.objects.filter(status__in=("active", "pending")).count()
                )

        with _client(
            settings,
            rate_limit_per_minute=limit,
            rate_limit_window=60.0 / time_scale,
            transport=Counting(),
        ) as client:
            SyncEngine(client, page_hook=hook).run(full=True)
        whole_seconds = time.perf_counter() - started
        # The open phase's own requests: its pages, its catch-up, any chat transcripts.
        open_phase = open_until["requests"] - directory_requests
        minimum = math.ceil(open_count / 25)
        return {
            "open_conversations": open_count,
            "open_mirrored": mirrored_open[0] if mirrored_open else None,
            "requests_until_open_mirrored": open_until["requests"],
            "sandbox_minutes_until_open_mirrored": round(
                open_until["seconds"] * time_scale / 60, 1
            ),
            "open_phase_requests": open_phase,
            "minimum_open_requests": minimum,
            "open_ratio": round(open_phase / minimum, 3),
            "whole_requests": requests,
            "sandbox_minutes_whole": round(whole_seconds * time_scale / 60, 1),
            "conversations": Conversation.objects.count(),
        }
    finally:
        _teardown(old)


# --- (d): request economy, no database needed ----------------------------------------------


def request_economy(settings: dict, pages: int) -> dict:
    with _client(settings, rate_limit_per_minute=NO_LIMIT) as client:
        before = client.stats.requests
        conversations = threads_ours = 0
        for page in client.conversations.pages(status="all", embed="threads"):
            conversations += len(page.items)
            threads_ours += sum(
                len((item.get("_embedded") or {}).get("threads") or []) for item in page.items
            )
            if page.number >= pages:
                break
        ours = client.stats.requests - before

        before = client.stats.requests
        threads_tap = 0
        for page in client.conversations.pages(status="all"):
            for item in page.items:
                threads_tap += sum(1 for _ in client.threads.list(item["id"]))
            if page.number >= pages:
                break
        tap = client.stats.requests - before
    return {
        "conversations": conversations,
        "threads_embedded": threads_ours,
        "threads_one_by_one": threads_tap,
        "requests_embed_threads": ours,
        "requests_per_conversation_threads": tap,
        "ratio": round(tap / max(ours, 1), 1),
    }


# --- (m): peak memory of `helpscout_sync --full` against the size of the account ----------


#: Runs `manage.py ARGS...` as `python manage.py ARGS...` would, then writes the process's
#: peak RSS (VmHWM, KiB) to a file. The kernel's own figure for a child (`wait4`'s or
#: RUSAGE_CHILDREN's `ru_maxrss`) is no use here: it keeps the high-water mark of the
#: image before `exec`, a copy of this process, which holds the whole sandbox.
_PEAK_RSS_AT_EXIT = """
import atexit, runpy, sys
peak_file, manage = sys.argv[1], sys.argv[2]
def write_peak():
    status = open("/proc/self/status").read().splitlines()
    kib = next(line.split()[1] for line in status if line.startswith("VmHWM:"))
    open(peak_file, "w").write(kib)
atexit.register(write_peak)
sys.argv = [manage, *sys.argv[3:]]
runpy.run_path(manage, run_name="__main__")
"""


def sync_peak_rss(conversations: int) -> dict:
    """Peak RSS (VmHWM) of one `manage.py helpscout_sync --full` process against a
    sandbox of `large:N` served from this process, rate limit off, on a fresh SQLite
    file. The migration runs in a process of its own, not counted."""
    from helpscout_integration.sandbox import Sandbox

    started = time.perf_counter()
    with Sandbox(seed=f"large:{conversations}", rate_limit_per_minute=None) as sb:
        seeded = time.perf_counter() - started
        settings = sb.helpscout_settings()
        with tempfile.TemporaryDirectory() as tmp:
            env = {
                **os.environ,
                "DJANGO_DEBUG": "False",
                "DATABASE_URL": f"sqlite:///{tmp}/bench-memory.sqlite3",
                "HELPSCOUT_APP_ID": settings["APP_ID"],
                "HELPSCOUT_APP_SECRET": settings["APP_SECRET"],
                "HELPSCOUT_API_BASE_URL": settings["API_BASE_URL"],
                "HELPSCOUT_RATE_LIMIT_PER_MINUTE": str(NO_LIMIT),
            }
            manage = str(ROOT / "manage.py")
            subprocess.run(
                [sys.executable, manage, "migrate", "--verbosity", "0"], check=True, env=env
            )
            peak_file = f"{tmp}/peak"
            with open(f"{tmp}/sync.log", "w+") as log:
                began = time.perf_counter()
                completed = subprocess.run(
                    [sys.executable, "-c", _PEAK_RSS_AT_EXIT, peak_file, manage]
                    + ["helpscout_sync", "--full", "--no-progress"],
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    env=env,
                    cwd=ROOT,
                    check=False,
                )
                seconds = time.perf_counter() - began
                log.seek(0)
                summary = [line for line in log.read().splitlines() if line.strip()][-3:]
            if completed.returncode != 0:
                raise RuntimeError(f"helpscout_sync --full failed: {summary}")
            with open(peak_file) as peak:
                peak_kib = int(peak.read())
    return {
        "conversations": conversations,
        "peak_rss_mib": round(peak_kib / 1024, 1),
        "seconds": round(seconds, 1),
        "sandbox_seeded_seconds": round(seeded, 1),
        "summary": summary[-1],
    }


def memory_flat(sizes: list[int]) -> None:
    runs = [sync_peak_rss(size) for size in sizes]
    for run in runs:
        print(
            f"(m) helpscout_sync --full of large:{run['conversations']} (SQLite file, rate "
            f"limit off, sandbox in the benchmark's process): peak RSS {run['peak_rss_mib']} MiB "
            f"in {run['seconds']}s; {run['summary']}"
        )
    small, large = runs[0], runs[-1]
    print(
        f"(m) peak RSS large:{large['conversations']} / large:{small['conversations']} = "
        f"{large['peak_rss_mib'] / small['peak_rss_mib']:.3f} (goal <= 1.10)"
    )


# --- driver -------------------------------------------------------------------------------


def _reference_ms() -> float:
    """A fixed pure-Python workload: the machines this runs on differ by 2x in speed."""
    best = math.inf
    for _ in range(50):
        started = time.perf_counter()
        sum(range(10**5))
        best = min(best, time.perf_counter() - started)
    return 1000 * best


def _run_worker(kind: str, payload: dict, env: dict | None = None) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--worker", kind, json.dumps(payload)],
        check=False,
        capture_output=True,
        text=True,
        # Production settings: DEBUG off (Django's debug cursor formats every statement).
        env={**os.environ, "DJANGO_DEBUG": "False", **(env or {})},
        cwd=ROOT,
    )
    if out.returncode != 0:
        raise RuntimeError(f"the {kind} worker failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, default=20000)
    parser.add_argument("--time-scale", type=float, default=1.0)
    parser.add_argument("--windows", type=int, default=3, help="whole windows measured in (c)")
    parser.add_argument("--economy-pages", type=int, default=40, help="pages compared in (d)")
    parser.add_argument(
        "--parts", default="abcde", help="which measurements to run (also m: memory, g: growth)"
    )
    parser.add_argument(
        "--open-first-conversations", type=int, default=100000, help="seed size of (e)"
    )
    parser.add_argument(
        "--memory-sizes",
        default="20000,200000",
        help="conversations of the accounts compared in (m), comma-separated",
    )
    parser.add_argument(
        "--mirrored", type=int, default=1_000_000, help="conversations already mirrored in (g)"
    )
    parser.add_argument(
        "--threads-per-conversation", type=int, default=6, help="threads of each in (g)"
    )
    parser.add_argument("--worker", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.worker:
        kind, payload = args.worker[0], json.loads(args.worker[1])
        if kind == "ingest":
            result = worker_ingest(
                payload["settings"],
                payload.get("database_url"),
                payload["prefetch"],
                payload.get("record_to"),
            )
        elif kind == "growth":
            result = worker_growth(
                payload["settings"],
                payload["database_url"],
                payload["record_from"],
                payload["prefill"],
                payload["threads_per"],
            )
        elif kind == "replay":
            result = worker_replay(
                payload["settings"], payload.get("database_url"), payload["record_from"]
            )
        elif kind == "phases":
            result = worker_phases(
                payload["settings"], payload["time_scale"], payload["limit"], payload["open"]
            )
        else:
            result = worker_ratelimit(
                payload["settings"],
                payload["time_scale"],
                payload["windows"],
                payload["limit"],
                payload["window_origin"],
            )
        print(json.dumps(result))
        return

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")
    import django

    django.setup()
    from helpscout_integration.sandbox import Sandbox

    seed = f"large:{args.conversations}"
    print(f"sync benchmark: sandbox seed {seed}")
    print(
        f"  machine speed reference: {_reference_ms():.2f} ms for sum(range(10**5)), best of 50 "
        "(absolute figures below scale with it; compare machines by it)"
    )
    if "m" in args.parts:
        memory_flat([int(size) for size in args.memory_sizes.split(",")])
    if "g" in args.parts:
        database_url = os.environ.get("DATABASE_URL", "")
        if not database_url.startswith("postgres"):
            raise SystemExit("(g) measures PostgreSQL: set DATABASE_URL=postgres://...")
        with Sandbox(seed=seed, rate_limit_per_minute=None) as sb:
            growth(
                sb.helpscout_settings(), database_url, args.mirrored, args.threads_per_conversation
            )
    if not set(args.parts) & set("abcd"):
        return
    started = time.perf_counter()
    with Sandbox(seed=seed, rate_limit_per_minute=None) as sb:
        print(f"  sandbox seeded in {time.perf_counter() - started:.1f}s")
        settings = sb.helpscout_settings()
        backends = [("sqlite", None)] if "a" in args.parts or "b" in args.parts else []
        pg = os.environ.get("DATABASE_URL", "")
        if pg.startswith("postgres") and backends:
            backends.append(("postgresql", pg))
        for name, url in backends:
            runs = {}
            # (a) with the engine as shipped (next page prefetched during the write); (b)
            # from a replay of the pages the sequential run recorded (the engine as shipped,
            # with nothing to wait for) and from the sequential run itself, where time
            # outside HTTP is exactly the local cost of committing every page alone.
            with tempfile.TemporaryDirectory() as tmp:
                record = f"{tmp}/pages.pickle"
                for kind, options in (
                    ("fast", {"prefetch": True}),
                    ("sequential", {"prefetch": False, "record_to": record}),
                    ("replay", {"record_from": record}),
                ):
                    db_url = url or f"sqlite:///{tmp}/bench-{kind}.sqlite3"
                    env = {} if url else {"DATABASE_URL": db_url}
                    runs[kind] = _run_worker(
                        "replay" if kind == "replay" else "ingest",
                        {"settings": settings, "database_url": db_url, **options},
                        env=env,
                    )
            fast, sequential, replay = runs["fast"], runs["sequential"], runs["replay"]
            print(
                f"(a) {name} ({'DATABASE_URL' if url else 'a new SQLite file'}): "
                f"{fast['conversations']} conversations, {fast['threads']} threads in "
                f"{fast['seconds']}s = {fast['conversations_per_second']} conversations/s "
                f"(rate limit off; sequential, without prefetch: "
                f"{sequential['conversations_per_second']}/s)"
            )
            print(
                f"(b) {name}: local cost {replay['local_ms_per_page']} ms per "
                f"25-conversation page wall clock, {replay['local_cpu_ms_per_page']} ms of CPU "
                f"in this process, as shipped with the pages already here (goal <= 15 ms; "
                f"{replay['pages']} pages, {replay['conversations']} conversations, "
                f"{sequential['threads'] / sequential['conversations']:.1f} threads per "
                f"conversation; load average {replay['load_average']})"
            )
            print(
                f"    {name}, sequential run, one commit a page: "
                f"{sequential['local_ms_per_page']} ms wall clock outside HTTP, "
                f"{sequential['local_cpu_ms_per_page']} ms of CPU (HTTP "
                f"{1000 * sequential['http_seconds'] / sequential['pages']:.1f} ms per page; "
                f"load average {sequential['load_average']})"
            )
        economy = request_economy(settings, args.economy_pages) if "d" in args.parts else None
    if "c" in args.parts:
        with Sandbox(seed=seed, rate_limit_per_minute=400, time_scale=args.time_scale) as sb:
            limited = _run_worker(
                "ratelimit",
                {
                    "settings": sb.helpscout_settings(),
                    "time_scale": args.time_scale,
                    "windows": args.windows,
                    "limit": 400,
                    "window_origin": time.time() - sb.rate_limiter.seconds_into_window(),
                },
                env={"DATABASE_URL": f"sqlite:///{tempfile.mkdtemp()}/bench-rl.sqlite3"},
            )
        print(
            f"(c) 400 req/min at time_scale {limited['time_scale']} "
            f"(window {limited['window_seconds']}s): {limited['achieved_per_second']} req/s "
            f"of a {limited['ceiling_per_second']} req/s ceiling = "
            f"{limited['fraction_of_ceiling']} over {limited['whole_windows']} whole windows "
            f"{limited['requests_per_window']} (goal >= 0.95); {limited['http_429']} HTTP 429s, "
            f"{limited['client_rate_limit_waits']} client waits"
        )
    if "e" in args.parts:
        seed_e = f"large:{args.open_first_conversations}"
        with Sandbox(seed=seed_e, rate_limit_per_minute=400, time_scale=args.time_scale) as sb:
            open_count = sum(
                1 for c in sb.store.conversations.values() if c.status in ("active", "pending")
            )
            phases = _run_worker(
                "phases",
                {
                    "settings": sb.helpscout_settings(),
                    "time_scale": args.time_scale,
                    "limit": 400,
                    "open": open_count,
                },
                env={"DATABASE_URL": f"sqlite:///{tempfile.mkdtemp()}/bench-phases.sqlite3"},
            )
        total = len(sb.store.conversations)
        print(
            f"(e) open work first, {seed_e} ({open_count} open = "
            f"{100 * open_count / max(total, 1):.1f}%), 400 req/min at time_scale "
            f"{args.time_scale}: every open conversation mirrored "
            f"({phases['open_mirrored']}/{open_count}) after "
            f"{phases['requests_until_open_mirrored']} requests, "
            f"{phases['sandbox_minutes_until_open_mirrored']} sandbox minutes; whole sync "
            f"{phases['whole_requests']} requests, {phases['sandbox_minutes_whole']} sandbox "
            f"minutes ({phases['conversations']} conversations)"
        )
        print(
            f"    open phase: {phases['open_phase_requests']} requests (open work + what "
            f"changed meanwhile) vs minimum ceil({open_count}/25) = "
            f"{phases['minimum_open_requests']}: {phases['open_ratio']}x (goal <= 1.1x); "
            f"staff can work after "
            f"{100 * phases['requests_until_open_mirrored'] / phases['whole_requests']:.1f}% "
            "of the sync's requests"
        )
    if economy is None:
        return
    print(
        f"(d) {economy['conversations']} conversations with threads: "
        f"{economy['requests_per_conversation_threads']} requests one-per-conversation "
        f"(tap-helpscout pattern) vs {economy['requests_embed_threads']} with embed=threads "
        f"= {economy['ratio']}x fewer requests (threads {economy['threads_one_by_one']} vs "
        f"{economy['threads_embedded']})"
    )


if __name__ == "__main__":
    main()
