"""Sandbox benchmark: is the emulator fast enough never to be a benchmark's bottleneck?

Prints, in one run:

(a) milliseconds per 25-conversation page with embedded threads (`status=all&embed=threads`)
    served over real HTTP to a keep-alive httpx client (median and 95th percentile), and
    the ratio to the 10 ms budget (goal: well under 1.0);
(b) the server-side share: milliseconds to render the same page's JSON without HTTP;
(c) seconds to build the `large:N` seed (100,000 conversations by default) and its memory
    (each build measured in a fresh child process: its peak resident memory over the
    interpreter's baseline, and what stays resident once built);
(d) the median page time on that large seed (filters and sorting are cached per store
    version, so page 2,000 costs what page 1 does);
(e) the sync's own request (`status=all&embed=threads&sortField=modifiedAt&sortOrder=asc`
    with a `modifiedSince` that moves every page, so no cache helps) at 20,000 and at
    1,000,000 conversations: build time and memory of each seed (goal at 1,000,000: a few
    seconds and a few hundred MB, here <= 10 s and <= 300 MiB peak), median page time, and
    the ratio of the two (goal: within 1.5x and under 10 ms, as Help Scout's index answers);
(f) the incremental sync's per-mailbox count check (`status=all&mailbox=ID`, page 1 in
    Help Scout's default order, createdAt desc) at the same two sizes, a conversation
    changed between requests so no per-version cache can help (goal: within 1.5x and
    under 10 ms).

Usage: python benchmarks/sandbox.py [--large 100000] [--pages 200] [--scale 20000 1000000]
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from helpscout_integration.sandbox import Sandbox, shapes  # noqa: E402
from helpscout_integration.sandbox.clock import iso  # noqa: E402

BUDGET_MS = 10.0


def _client(sandbox: Sandbox) -> httpx.Client:
    token = httpx.post(
        sandbox.token_url,
        data={"grant_type": "client_credentials", "client_id": "bench", "client_secret": "bench"},
    ).json()["access_token"]
    return httpx.Client(base_url=sandbox.api_base_url, headers={"Authorization": f"Bearer {token}"})


def _page_times(sandbox: Sandbox, pages: int, total_pages: int) -> list[float]:
    times = []
    with _client(sandbox) as client:
        client.get("/conversations", params={"status": "all", "embed": "threads"})  # warm up
        for n in range(pages):
            page = 1 + (n * 37) % total_pages
            start = time.perf_counter()
            response = client.get(
                "/conversations", params={"status": "all", "embed": "threads", "page": page}
            )
            times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200
            assert len(response.json()["_embedded"]["conversations"]) == 25
    return times


def _keyset_page_times(sandbox: Sandbox, pages: int) -> list[float]:
    """Page 1 of the sync's listing at `pages` different `modifiedSince` values spread over
    the account's history (each a new query: what a keyset-paged sync sends)."""
    store = sandbox.store
    times = sorted(c.modified_at for c in store.conversations.values())
    params = {"status": "all", "embed": "threads", "sortField": "modifiedAt", "sortOrder": "asc"}
    result = []
    with _client(sandbox) as client:
        client.get("/conversations", params=params)  # warm up the connection
        for n in range(pages):
            since = iso(times[(n * 7919) % max(len(times) - 25, 1)])
            start = time.perf_counter()
            response = client.get("/conversations", params={**params, "modifiedSince": since})
            result.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200
            assert len(response.json()["_embedded"]["conversations"]) == 25
    return result


def _count_check_times(sandbox: Sandbox, pages: int) -> list[float]:
    """Page 1 of `status=all&mailbox=ID` per mailbox in turn, with a change between
    requests (as between two incremental runs): the store version moves every time."""
    store = sandbox.store
    mailboxes = sorted(store.mailboxes)
    ids = sorted(store.conversations)
    rng = random.Random("count-check")  # noqa: S311 (benchmark data)
    result = []
    with _client(sandbox) as client:
        client.get("/conversations", params={"status": "all"})  # warm up the connection
        for n in range(pages):
            store.add_thread(rng.choice(ids), "note", "checked")
            mailbox = mailboxes[n % len(mailboxes)]
            start = time.perf_counter()
            response = client.get("/conversations", params={"status": "all", "mailbox": mailbox})
            result.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200
            assert response.json()["page"]["totalElements"] > 0
    return result


def _build_in_child(seed: str) -> dict:
    """Build `seed` in a fresh interpreter: seconds, peak and kept resident MiB over the
    interpreter's own (so no earlier build in this process hides the peak)."""
    out = subprocess.run(
        [sys.executable, __file__, "--build", seed], check=True, capture_output=True, text=True
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def _status_mib(field: str) -> float:
    """A field of /proc/self/status (VmRSS: resident now, VmHWM: peak resident) in MiB."""
    with open("/proc/self/status") as status:
        return int(re.search(rf"{field}:\s+(\d+)", status.read()).group(1)) / 1024


def _build_only(seed: str) -> None:
    gc.collect()
    before = _status_mib("VmRSS")  # the interpreter and its imports, resident now
    with open("/proc/self/clear_refs", "w") as clear:
        clear.write("5")  # reset the peak (VmHWM) to the resident size now (Linux >= 4.0)
    start, cpu_start = time.perf_counter(), time.process_time()
    sandbox = Sandbox(seed=seed, rate_limit_per_minute=None)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    gc.collect()
    peak = _status_mib("VmHWM") - before
    figures = {
        "seconds": seconds,
        "cpu": cpu,
        "peak_mib": peak,
        "kept_mib": _status_mib("VmRSS") - before,
    }
    print(json.dumps(figures))
    del sandbox


def _scale(sizes: list[int], pages: int) -> None:
    keyset, counts, builds = [], [], []
    for size in sizes:
        built = _build_in_child(f"large:{size}")
        builds.append(built)
        sandbox = Sandbox(seed=f"large:{size}", rate_limit_per_minute=None)
        with sandbox:
            times = _keyset_page_times(sandbox, pages)
            checks = _count_check_times(sandbox, pages)
        keyset.append(statistics.median(times))
        counts.append(statistics.median(checks))
        print(
            f"(e) large:{size}: built in {built['seconds']:.2f} s ({built['cpu']:.2f} s CPU), "
            "peak memory "
            f"+{built['peak_mib']:.0f} MiB ({built['kept_mib']:.0f} MiB kept); "
            f"sync page with modifiedSince: median {keyset[-1]:.2f} ms, "
            f"p95 {_p95(times):.2f} ms over {len(times)} pages"
        )
        print(
            f"(f) large:{size}: per-mailbox count check: median {counts[-1]:.2f} ms, "
            f"p95 {_p95(checks):.2f} ms over {len(checks)} requests"
        )
        del sandbox, times, checks
        gc.collect()
    largest = builds[-1]
    print(
        f"    build of large:{sizes[-1]}: {largest['seconds']:.2f} s (goal <= 10; "
        f"{largest['cpu']:.2f} s of CPU, what a quiet machine would take), peak "
        f"+{largest['peak_mib']:.0f} MiB (goal <= 300)"
    )
    for part, medians in (("(e)", keyset), ("(f)", counts)):
        print(
            f"    {part} ratio large:{sizes[-1]} / large:{sizes[0]}: "
            f"{medians[-1] / medians[0]:.2f} (goal <= 1.5); largest median / "
            f"{BUDGET_MS:.0f} ms budget: {medians[-1] / BUDGET_MS:.2f} (goal < 1.0)"
        )


def _p95(values: list[float]) -> float:
    return sorted(values)[int(len(values) * 0.95) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--large", type=int, default=100_000)
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--scale", type=int, nargs="+", default=[20_000, 1_000_000])
    parser.add_argument("--build", help=argparse.SUPPRESS)  # the child of _build_in_child
    args = parser.parse_args()
    if args.build:
        _build_only(args.build)
        return

    with Sandbox(seed="demo", rate_limit_per_minute=None) as demo:
        times = _page_times(demo, args.pages, 80)
        median = statistics.median(times)
        print(f"(a) demo seed, 25 conversations + threads per page over HTTP, {args.pages} pages:")
        print(f"    median {median:.2f} ms, p95 {_p95(times):.2f} ms per page")
        print(f"    ratio to the {BUDGET_MS:.0f} ms budget: {median / BUDGET_MS:.2f}")
        store = demo.store
        conversations = sorted(store.conversations.values(), key=lambda c: c.id)[:25]
        render = []
        for _ in range(50):
            start = time.perf_counter()
            json.dumps(
                [shapes.conversation(c, store, demo.api_base_url, True) for c in conversations]
            )
            render.append((time.perf_counter() - start) * 1000)
        threads = sum(c.thread_count for c in conversations)
        print(
            f"(b) rendering that page's JSON alone ({threads} threads): "
            f"median {statistics.median(render):.2f} ms "
            f"({statistics.median(render) / median:.0%} of the HTTP time)"
        )

    built = _build_in_child(f"large:{args.large}")
    print(
        f"(c) large:{args.large} built in {built['seconds']:.2f} s ({built['cpu']:.2f} s CPU); "
        "peak resident memory "
        f"+{built['peak_mib']:.0f} MiB, {built['kept_mib']:.0f} MiB kept"
    )
    large = Sandbox(seed=f"large:{args.large}", rate_limit_per_minute=None)
    with large:
        total_pages = -(-args.large // 25)
        times = _page_times(large, min(args.pages, total_pages), total_pages)
        print(
            f"(d) large seed, {len(times)} pages spread over {total_pages}: "
            f"median {statistics.median(times):.2f} ms, p95 {_p95(times):.2f} ms "
            f"(first request, which filters and sorts, excluded as warm-up)"
        )
    del large
    gc.collect()
    _scale(args.scale, args.pages)


if __name__ == "__main__":
    main()
