"""`ConversationIndex`: filtered, sorted conversation ids per query, kept until the store
changes, so that paging through a large account filters and sorts it once, not per page.

A plain cache owned by the `Sandbox` and used by the conversation routes; it knows nothing
of HTTP or of the store beyond the version number it is handed.
"""

from __future__ import annotations

import threading
from collections import OrderedDict


class ConversationIndex:
    """Filtered, sorted conversation ids per query, reused until the store changes.

    Paging through 100,000 conversations must not filter and sort them again per page.
    """

    def __init__(self, size: int = 32) -> None:
        self._cache: OrderedDict[tuple, tuple[int, list[int]]] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def get(self, key: tuple, version: int, build) -> list[int]:
        with self._lock:
            hit = self._cache.get(key)
            if hit is not None and hit[0] == version:
                self._cache.move_to_end(key)
                return hit[1]
        ids = build()
        with self._lock:
            self._cache[key] = (version, ids)
            self._cache.move_to_end(key)
            while len(self._cache) > self._size:
                self._cache.popitem(last=False)
        return ids
