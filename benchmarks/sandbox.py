"""Sandbox benchmark: is the emulator fast enough never to be a benchmark's bottleneck?

Prints, in one run:

(a) milliseconds per 25-conversation page with embedded threads (`status=all&embed=threads`)
    served over real HTTP to a keep-alive httpx client (median and 95th percentile), and
    the ratio to the 10 ms budget (goal: well under 1.0);
(b) the server-side share: milliseconds to render the same page's JSON without HTTP;
(c) seconds to build the `large:N` seed (100,000 conversations by default) and its memory;
(d) the median page time on that large seed (filters and sorting are cached per store
    version, so page 2,000 costs what page 1 does);
(e) the sync's own request (`status=all&embed=threads&sortField=modifiedAt&sortOrder=asc`
    with a `modifiedSince` that moves every page, so no cache helps) at 20,000 and at
    1,000,000 conversations: build time and memory of each seed, median page time, and the
    ratio of the two (goal: within 1.5x and under 10 ms, as Help Scout's index answers).

Usage: python benchmarks/sandbox.py [--large 100000] [--pages 200] [--scale 20000 1000000]
"""

from __future__ import annotations

import argparse
import gc
import json
import resource
import statistics
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


def _scale(sizes: list[int], pages: int) -> None:
    medians = []
    for size in sizes:
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        start = time.perf_counter()
        sandbox = Sandbox(seed=f"large:{size}", rate_limit_per_minute=None)
        built = time.perf_counter() - start
        grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before
        with sandbox:
            times = _keyset_page_times(sandbox, pages)
        medians.append(statistics.median(times))
        print(
            f"(e) large:{size}: built in {built:.2f} s, peak memory +{grown / 1024:.0f} MiB; "
            f"sync page with modifiedSince: median {medians[-1]:.2f} ms, "
            f"p95 {_p95(times):.2f} ms over {len(times)} pages"
        )
        del sandbox, times
        gc.collect()
    print(
        f"    ratio large:{sizes[-1]} / large:{sizes[0]}: {medians[-1] / medians[0]:.2f} "
        f"(goal <= 1.5); largest median / {BUDGET_MS:.0f} ms budget: "
        f"{medians[-1] / BUDGET_MS:.2f} (goal < 1.0)"
    )


def _p95(values: list[float]) -> float:
    return sorted(values)[int(len(values) * 0.95) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--large", type=int, default=100_000)
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--scale", type=int, nargs="+", default=[20_000, 1_000_000])
    args = parser.parse_args()

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

    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    large = Sandbox(seed=f"large:{args.large}", rate_limit_per_minute=None)
    built = time.perf_counter() - start
    grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before
    print(
        f"(c) large:{args.large} built in {built:.2f} s; "
        f"peak resident memory grew by {grown / 1024:.0f} MiB"
    )
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
