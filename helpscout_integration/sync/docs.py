"""Mirror Help Scout Docs articles (every collection's) into `DocsArticle`.

Called by `helpscout_sync --resource docs`. Reads article summaries page by page (one
request per page, never one per article), writes only what changed, and marks articles
that disappeared from Docs as `deleted` instead of dropping them: Beacon rules that point
at them keep their history and simply stop suggesting them. Afterwards the cached Beacon
rules are invalidated and the rules' Docs searches refreshed.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction

from ..beacon import search
from ..beacon.suggestions import invalidate_rules
from ..exceptions import HelpScoutError, PayloadError
from ..models import DocsArticle
from ..payloads.docs import parse_docs_article
from .upsert import UpsertResult

logger = logging.getLogger(__name__)

DELETED = "deleted"
_COMPARED = ("name", "status", "collection_id", "public_url", "updated_at", "number", "slug")


def fetch_articles(client: Any) -> list[dict[str, Any]]:
    """Parsed field dicts of every article of every collection (all statuses)."""
    articles: dict[str, dict[str, Any]] = {}
    for collection in client.docs.collections():
        collection_id = collection.get("id") if isinstance(collection, dict) else None
        if not collection_id:
            continue
        for payload in client.docs.articles(collection_id=collection_id, status="all"):
            try:
                fields = parse_docs_article(payload)
            except PayloadError as exc:
                logger.warning("helpscout: Docs article skipped: %s", exc)
                continue
            fields.setdefault("collection_id", str(collection_id))
            articles[fields["id"]] = fields
    return list(articles.values())


def sync_docs(client: Any, *, refresh_searches: bool = True) -> UpsertResult:
    """Mirror Docs articles; return how many were created, updated, unchanged, deleted."""
    fetched = fetch_articles(client)  # all HTTP first: a failure writes nothing
    result = UpsertResult()
    with transaction.atomic():
        existing = {a.id: a for a in DocsArticle.objects.all()}
        to_create, to_update = [], []
        for fields in fetched:
            current = existing.pop(fields["id"], None)
            if current is None:
                to_create.append(DocsArticle(**fields))
                continue
            if all(getattr(current, f) == fields.get(f, getattr(current, f)) for f in _COMPARED):
                result.unchanged += 1
                continue
            for name, value in fields.items():
                setattr(current, name, value)
            to_update.append(current)
        DocsArticle.objects.bulk_create(to_create, batch_size=500)
        update_fields = sorted({k for f in fetched for k in f} - {"id"})
        if to_update:
            DocsArticle.objects.bulk_update(to_update, update_fields, batch_size=500)
        gone = [a.id for a in existing.values() if a.status != DELETED and a.data]
        if gone:
            DocsArticle.objects.filter(id__in=gone).update(status=DELETED)
        result.created, result.updated, result.deleted = len(to_create), len(to_update), len(gone)
        transaction.on_commit(invalidate_rules)
    if refresh_searches:
        try:
            search.refresh_searches(client, search.rule_queries())
        except HelpScoutError as exc:  # the mirror is written; searches retry next time
            logger.warning("helpscout: Beacon Docs searches not refreshed: %s", exc)
    return result
