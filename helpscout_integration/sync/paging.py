"""How one listing is paged, written and committed: the page loop of `SyncEngine`.

A mixin of `SyncEngine` (engine.py), which decides what to list and how to write it
(`fetch`, `write`, `time_of`, `params`) and owns the run's cursor; this module moves that
cursor page by page: it asks for the next page (on a helper thread with prefetch), writes
the page with the given `write`, steps the cursor (keyset by modification time, else by
page number; see engine.py's docstring and docs/sync.md, "Pagination drift") and
commits pages in groups with the cursor, so a run killed at any moment resumes at the
first page whose rows were not committed.

It never writes rows itself (only through the `write` it is given), never reads Help
Scout's JSON (but for the modification times `time_of` returns), never commits a page's
rows without its cursor, and its helper thread never talks to the database.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any

from django.db import transaction

from ..exceptions import PayloadError
from . import checkpoints
from .bulk import asynchronous_commit, pipelined
from .checkpoints import RunCursor, isoformat, parse_iso
from .newest_wins import UpsertResult
from .progress import Reporter
from .wal import checkpoints_in_background


@dataclass
class _Page:
    """Stand-in for the client's Page when a resource offers only `.list()`."""

    items: list
    number: int
    total_pages: int
    total_elements: int


class PagedListing:
    """The page loop of one listing (mixed into `SyncEngine`, which provides these)."""

    reporter: Reporter
    prefetch: bool
    commit_interval: float
    page_hook: Callable[[str, int], None] | None
    _phase_items: int

    if TYPE_CHECKING:

        @staticmethod
        def _newest_first_step(
            cursor: RunCursor, page, items: list
        ) -> tuple[tuple | None, bool]: ...

    def _page_loop(self, label, state, cursor, rr, fetch, write, time_of, params) -> None:
        """Fetch, write and commit pages until the listing ends.

        With `prefetch` (the default) the next page is requested on a helper thread while
        the current one is written, so a page costs max(HTTP, local work) instead of the
        sum: the sync stays at the rate limit even when Help Scout is far away. The next
        position is known as soon as a page arrives (keyset), so the prefetch asks for
        exactly what the committed cursor will say. The helper thread only talks HTTP,
        never to the database.

        Pages are committed in groups (see `_group_continues`): while the next page is
        already here, it joins the open transaction, up to `commit_interval` seconds;
        as soon as we would wait on Help Scout, the group commits with the cursor of its
        last page. A commit is the largest fixed cost of a page (the write-ahead log
        flush), so it is paid once per group when we are the bottleneck and overlaps the
        network wait when Help Scout is. A crash loses the open group and, on the next
        run, refetches its pages from the committed cursor: "resume from the last
        committed page" holds, a group being at most `commit_interval` of work.

        Within a group, writes are pipelined on PostgreSQL (`bulk.pipelined`): the server
        inserts one page while Python parses the next. A write that fails raises at the
        next page's first read or at the end of the group, and the group rolls back. On
        SQLite in WAL mode, the log is checkpointed on a helper thread after each commit
        (`wal.checkpoints_in_background`) instead of inside the commit.
        """
        pool = ThreadPoolExecutor(1, thread_name_prefix="helpscout-sync") if self.prefetch else None
        try:
            with checkpoints_in_background() as wal:
                page = self._fetch_one(fetch, params, self._position(cursor))
                while page is not None:
                    with transaction.atomic():
                        asynchronous_commit()  # safe: rows and cursor are lost together or not
                        opened = time.monotonic()
                        with pipelined():  # a page's writes run while the next is parsed
                            while True:
                                follow = self._write_page(
                                    label, cursor, rr, page, pool, fetch, write, time_of, params
                                )
                                if follow is None or not self._group_continues(follow, opened):
                                    break
                                page = follow.result()
                        checkpoints.save_cursor(state, cursor)
                    wal.committed()
                    # Outside the transaction: waiting on Help Scout never holds row locks.
                    page = None if follow is None else follow.result() if pool else follow()
        finally:
            if pool is not None:
                pool.shutdown(wait=True, cancel_futures=True)

    def _write_page(self, label, cursor, rr, page, pool, fetch, write, time_of, params):
        """Write one page and move the cursor (in memory) past it; return how to get the
        next page (a future with prefetch, else a callable), or None when this was the last.
        """
        items = list(page.items)
        times = self._times(items, time_of)
        newest_first = params.get("sortOrder") == "desc"
        if newest_first:
            position, listing_done = self._newest_first_step(cursor, page, items)
        else:
            listing_done = not items or page.number >= page.total_pages
            position = None
            if not listing_done:
                position = (cursor.listing, *self._next_position(cursor, times))
        next_listing = listing_done and len(cursor.listings) > 1
        if next_listing:
            position = (cursor.listings[1], None, 1)
        follow = None
        if position is not None:
            follow = self._request_page(pool, fetch, params, position, lazy=True)
        # Keyset paging restarts a second early, so a page may repeat items the previous
        # page carried: write each (id, modifiedAt) once per run and count the repeats
        # apart, so "created/updated/unchanged" add up to the distinct items listed.
        fresh = []
        for item, when in zip(items, times, strict=True):
            key = (item.get("id") if isinstance(item, dict) else None, when)
            if key[0] is not None and key in rr.written:
                rr.repeats += 1
                continue
            rr.written.add(key)
            fresh.append(item)
        result = write(fresh) if fresh else UpsertResult()
        cursor.pages_done += 1
        cursor.items_done += len(fresh)
        known = [t for t in times if t is not None]
        if known:
            latest = max(known)
            seen = parse_iso(cursor.max_seen)
            cursor.max_seen = isoformat(latest if seen is None else max(seen, latest))
            if newest_first and cursor.horizon is None:
                cursor.horizon = isoformat(latest)
        remaining = 0
        if items and page.number < page.total_pages:
            remaining = max(page.total_elements - page.number * len(items), 0)
        cursor.remaining = None if next_listing else remaining
        if position is None:
            cursor.phase = "handoff" if newest_first else "sweep"
        else:
            if next_listing:
                cursor.listings.pop(0)
                cursor.total = None
            _status, cursor.since, cursor.page = position
        if self.page_hook is not None:
            self.page_hook(label, cursor.pages_done)
        rr.result = rr.result + result
        rr.pages += 1
        rr.items += len(items)
        self._phase_items += len(items)
        self.reporter.advance(label, len(items), self._phase_items + remaining, rr.result)
        return follow

    def _group_continues(self, follow, opened: float) -> bool:
        """Whether the next page joins the open transaction: only when it has already
        arrived intact (committing while we would wait on Help Scout costs nothing) and
        the group is younger than `commit_interval` (which bounds how long its rows stay
        locked against webhook processing and how much a crash sends back to be fetched).
        """
        return (
            isinstance(follow, Future)
            and follow.done()
            and follow.exception() is None
            and follow.result() is not None
            and time.monotonic() - opened < self.commit_interval
        )

    def _position(self, cursor: RunCursor) -> tuple[str | None, str | None, int]:
        """Where the cursor says the next page is: (status listed, modifiedSince, page)."""
        return cursor.listing, cursor.since, cursor.page

    @staticmethod
    def _fetch_one(fetch, params: dict, position: tuple[str | None, str | None, int]):
        status, since, page_number = position
        request = dict(params)
        if status:
            request["status"] = status
        if since:
            request["modifiedSince"] = since
        pages = fetch(page_number, **request)
        try:
            return next(iter(pages), None)
        finally:
            close = getattr(pages, "close", None)
            if close:
                close()

    def _request_page(self, pool, fetch, params, position, *, lazy=False):
        """A future of the page (prefetch), else the page itself, or a thunk when `lazy`."""
        if pool is not None:
            return pool.submit(self._fetch_one, fetch, params, position)
        if lazy:
            return partial(self._fetch_one, fetch, params, position)
        return self._fetch_one(fetch, params, position)

    @staticmethod
    def _times(items: list[dict], time_of) -> list[datetime | None]:
        times = []
        for item in items:
            try:
                times.append(time_of(item))
            except PayloadError:
                times.append(None)
        return times

    @staticmethod
    def _next_position(cursor: RunCursor, times: list) -> tuple[str | None, int]:
        """Keyset step when the page is in modification order, else the next page number."""
        if times and None not in times and times == sorted(times):
            candidate = times[-1] - timedelta(seconds=1)
            previous = parse_iso(cursor.since)
            if previous is None or candidate > previous:
                return isoformat(candidate), 1
        return cursor.since, cursor.page + 1

    @staticmethod
    def _pages(resource: Any, start_page: int, params: dict) -> Iterator:
        if hasattr(resource, "pages"):
            return resource.pages(start_page=start_page, **params)
        return _list_as_pages(resource.list(**params), start_page)


def _list_as_pages(items: Iterable[dict], start_page: int, size: int = 50) -> Iterator[_Page]:
    batch: list[dict] = []
    number = 0
    for item in items:
        batch.append(item)
        if len(batch) == size:
            number += 1
            if number >= start_page:
                yield _Page(batch, number, number + 1, (number + 1) * size)
            batch = []
    number += 1
    yield _Page(batch, number, number, (number - 1) * size + len(batch))
