"""Progress reporting for sync runs: a tqdm bar in a terminal, log lines otherwise.

Reporters only display; they never change what the sync does.
"""

from __future__ import annotations

import logging
import time
from io import TextIOBase
from typing import Any, TextIO

logger = logging.getLogger("helpscout_integration.sync")


class Reporter:
    """Does nothing; the base of the real reporters and the default for library use."""

    def start(self, resource: str, total: int | None, resumed_from: int | None = None) -> None:
        pass

    def advance(self, resource: str, items: int, total: int | None, result: Any) -> None:
        pass

    def finish(self, resource: str, report: Any) -> None:
        pass

    def message(self, text: str) -> None:
        pass


class LogReporter(Reporter):
    """Plain lines (to a stream or the logger), for cron jobs, task workers and pipes."""

    def __init__(self, stream: TextIO | TextIOBase | None = None, every: int = 1) -> None:
        self.stream = stream
        self.every = max(every, 1)
        self._pages: dict[str, int] = {}
        self._done: dict[str, int] = {}
        self._start: dict[str, float] = {}

    def _write(self, text: str) -> None:
        if self.stream is not None:
            self.stream.write(text + "\n")
            self.stream.flush()
        else:
            logger.info(text)

    def start(self, resource, total, resumed_from=None):
        self._pages[resource] = 0
        self._done[resource] = 0
        self._start[resource] = time.monotonic()
        extra = f", resuming at page {resumed_from}" if resumed_from else ""
        size = f"{total} to fetch" if total is not None else "size unknown"
        self._write(f"{resource}: starting ({size}{extra})")

    def advance(self, resource, items, total, result):
        self._pages[resource] = self._pages.get(resource, 0) + 1
        self._done[resource] = self._done.get(resource, 0) + items
        if self._pages[resource] % self.every == 0:
            elapsed = max(time.monotonic() - self._start.get(resource, time.monotonic()), 1e-6)
            of = f"/{total}" if total else ""
            self._write(
                f"{resource}: {self._done[resource]}{of} "
                f"({self._done[resource] / elapsed:.1f}/s; created {result.created}, "
                f"updated {result.updated}, unchanged {result.unchanged})"
            )

    def finish(self, resource, report):
        r = report.result
        self._write(
            f"{resource}: done: created {r.created}, updated {r.updated}, "
            f"unchanged {r.unchanged}, deleted {r.deleted}"
        )

    def message(self, text):
        self._write(text)


class TqdmReporter(Reporter):
    """A progress bar per resource with counts and rate (terminal only)."""

    def __init__(self, stream: TextIO | TextIOBase | None = None) -> None:
        self.stream = stream
        self._bars: dict[str, Any] = {}

    def start(self, resource, total, resumed_from=None):
        from tqdm import tqdm

        self._bars[resource] = tqdm(
            total=total, desc=resource, unit="item", file=self.stream, dynamic_ncols=True
        )

    def advance(self, resource, items, total, result):
        bar = self._bars.get(resource)
        if bar is None:
            return
        if total and bar.total != total:
            bar.total = total
        bar.set_postfix(created=result.created, updated=result.updated, refresh=False)
        bar.update(items)

    def finish(self, resource, report):
        bar = self._bars.pop(resource, None)
        if bar is not None:
            bar.close()

    def message(self, text):
        from tqdm import tqdm

        tqdm.write(text, file=self.stream)
