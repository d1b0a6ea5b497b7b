"""Complete transcripts for conversations whose list item embeds a partial one.

A list page with `embed=threads` truncates chat threads and may embed fewer threads than a
conversation has (payloads/embedded_threads.py says which). For those, the sync pages
through List Threads (`GET /conversations/{id}/threads`, 50 threads a page) and writes that
list instead: one request per such conversation and per 50 of its threads.
"""

from __future__ import annotations

import logging
from typing import Any

from ..exceptions import NotFoundError
from ..payloads.embedded_threads import needs_thread_listing, with_threads

logger = logging.getLogger("helpscout_integration.sync")


def complete_transcripts(client: Any, items: list[dict]) -> tuple[list[dict], int]:
    """`items` with full thread lists where needed, and how many List Threads requests it
    took. A conversation gone meanwhile (404) keeps its embedded threads."""
    completed: list[dict] = []
    requests = 0
    for item in items:
        if not needs_thread_listing(item):
            completed.append(item)
            continue
        threads: list[dict] = []
        try:
            for page in client.threads.pages(item["id"]):
                requests += 1
                threads.extend(page.items)
        except NotFoundError:
            logger.debug("conversation %s vanished before its threads were listed", item["id"])
            completed.append(item)
            continue
        completed.append(with_threads(item, threads))
    return completed, requests
