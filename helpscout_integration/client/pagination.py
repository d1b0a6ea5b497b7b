"""Lazy iteration over Help Scout's paged lists, one page in memory at a time.

Two wire shapes: the Mailbox API's HAL pages (`_embedded.<key>` + `page.totalPages`,
1-based `?page=N`) and the Docs API's wrapper (`{"<key>": {"page", "pages", "count",
"items"}}`). A page is requested only when the consumer asks for it; nothing here ever
collects every page into a list.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from ..jsontypes import JSONObject


@dataclass(frozen=True)
class Page:
    """One page of a list: its items and where it sits (numbers are 1-based)."""

    items: list[JSONObject]
    number: int
    total_pages: int
    total_elements: int

    @property
    def is_last(self) -> bool:
        return not self.items or self.number >= self.total_pages


def _as_int(value: Any, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def hal_page(body: Any, key: str, requested: int) -> Page:
    """Read a Mailbox API list page; a missing `page` object means a single page."""
    body = body if isinstance(body, Mapping) else {}
    embedded = body.get("_embedded") or {}
    items = embedded.get(key) if isinstance(embedded, Mapping) else None
    if items is None and isinstance(embedded, Mapping):
        lists = [v for v in embedded.values() if isinstance(v, list)]
        items = lists[0] if len(lists) == 1 else []
    items = [item for item in (items or []) if isinstance(item, dict)]
    page = body.get("page") if isinstance(body.get("page"), Mapping) else {}
    number = _as_int(page.get("number"), requested)
    return Page(
        items=items,
        number=number,
        total_pages=_as_int(page.get("totalPages"), number),
        total_elements=_as_int(page.get("totalElements"), len(items)),
    )


def docs_page(body: Any, key: str, requested: int) -> Page:
    """Read a Docs API list page (`{"articles": {"page", "pages", "count", "items"}}`)."""
    body = body if isinstance(body, Mapping) else {}
    wrapper = body.get(key) if isinstance(body.get(key), Mapping) else {}
    items = [item for item in (wrapper.get("items") or []) if isinstance(item, dict)]
    number = _as_int(wrapper.get("page"), requested)
    return Page(
        items=items,
        number=number,
        total_pages=_as_int(wrapper.get("pages"), number),
        total_elements=_as_int(wrapper.get("count"), len(items)),
    )


class Listing(Iterator[JSONObject]):
    """Every item of a list, fetched page by page as iteration reaches it.

    Iterate it (or call `next()`) for items; call `.pages(start_page=N)` for whole pages,
    to resume a long sync from a checkpoint. Each `.pages()` call starts a fresh walk.
    """

    def __init__(self, fetch_page: Callable[[int], Page], *, start_page: int = 1) -> None:
        self._fetch_page = fetch_page
        self._start_page = start_page
        self._items: Iterator[JSONObject] | None = None

    def pages(self, start_page: int | None = None) -> Iterator[Page]:
        number = self._start_page if start_page is None else start_page
        if number < 1:
            raise ValueError("start_page is 1-based")
        return self._walk(number)

    def _walk(self, number: int) -> Iterator[Page]:
        while True:
            page = self._fetch_page(number)
            yield page
            # Also trust the number we asked for: a server ignoring ?page cannot loop us.
            if not page.items or max(page.number, number) >= page.total_pages:
                return
            number += 1

    def __iter__(self) -> Listing:
        return self

    def __next__(self) -> JSONObject:
        if self._items is None:
            self._items = (item for page in self.pages() for item in page.items)
        return next(self._items)
