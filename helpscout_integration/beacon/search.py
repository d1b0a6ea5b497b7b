"""Docs search results for rules that say "search Docs for these keywords", kept in cache.

The search itself runs in a background task (`refresh_docs_search`) through the Docs API
client; rendering only reads `cached_results`. A cold cache or Docs being down means no
search suggestions (the rule's own articles still show), never a slow or broken page.
"""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from django.core.cache import cache

from ..conf import get_settings
from ..exceptions import HelpScoutError
from ..tasks_compat import task

logger = logging.getLogger(__name__)

SEARCH_CACHE_TIMEOUT = 24 * 3600  # refreshed by rule edits and every Docs sync
MAX_RESULTS = 10


def cache_key(query: str) -> str:
    digest = hashlib.sha256(" ".join(query.lower().split()).encode()).hexdigest()[:32]
    return f"helpscout:beacon:search:{digest}"


def cached_results(query: str) -> list[str] | None:
    """Article ids found for `query` by the last search, or None when never searched."""
    return cache.get(cache_key(query))


def search_docs(client: Any, query: str) -> list[str]:
    """Run one Docs search (published articles) and cache the ids of the best results."""
    ids: list[str] = []
    for article in client.docs.search(query, status="published"):
        article_id = article.get("id") if isinstance(article, dict) else None
        if article_id and article_id not in ids:
            ids.append(str(article_id))
        if len(ids) >= MAX_RESULTS:
            break
    cache.set(cache_key(query), ids, SEARCH_CACHE_TIMEOUT)
    return ids


def refresh_searches(client: Any, queries: list[str]) -> dict[str, int]:
    """Search each query; a failing query keeps its previous cached results."""
    found: dict[str, int] = {}
    for query in dict.fromkeys(q.strip() for q in queries if q and q.strip()):
        try:
            found[query] = len(search_docs(client, query))
        except HelpScoutError as exc:
            logger.warning("helpscout: Docs search for a Beacon rule failed: %s", exc)
    return found


def rule_queries() -> list[str]:
    from ..models import BeaconSuggestion

    return list(
        BeaconSuggestion.objects.filter(enabled=True)
        .exclude(search_query="")
        .values_list("search_query", flat=True)
    )


@task()
def refresh_docs_search(queries: list[str] | None = None) -> dict[str, int]:
    """Background task: run the Docs searches of the given (default: all) rules."""
    if not get_settings().docs_enabled:
        return {}
    from ..client import HelpScoutClient

    with HelpScoutClient.from_settings(require_mailbox_api=False) as client:
        return refresh_searches(client, rule_queries() if queries is None else queries)


def enqueue_refresh(queries: list[str] | None = None) -> None:
    """Queue `refresh_docs_search`; failures to enqueue are logged, never raised to a save."""
    try:
        refresh_docs_search.using(backend=get_settings().TASK_BACKEND).enqueue(queries)
    except Exception:
        logger.exception("helpscout: could not enqueue the Beacon Docs search refresh")
