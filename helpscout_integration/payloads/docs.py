"""Docs API article JSON -> `DocsArticle` field values (pure; no database, no HTTP).

Lists return summaries (no `text`, `slug` or `categories`), a single article returns
everything; both parse to the same fields, missing ones left out so a summary never
blanks what a full read stored.
"""

from __future__ import annotations

from typing import Any

from ._fields import require_object, text, to_datetime


def parse_docs_article(payload: Any) -> dict[str, Any]:
    """Field values of a `DocsArticle` from a Docs article (summary or full)."""
    article = require_object(payload, "Docs article")
    fields: dict[str, Any] = {
        "id": text(article["id"], "article.id")[:24],
        "name": text(article.get("name"), "article.name")[:500],
        "status": text(article.get("status"), "article.status")[:20],
        "collection_id": text(article.get("collectionId"), "article.collectionId")[:24],
        "public_url": text(article.get("publicUrl") or article.get("url"), "article.publicUrl")[
            :1000
        ],
        "updated_at": to_datetime(article.get("updatedAt"), "article.updatedAt"),
        "data": {k: v for k, v in article.items() if k != "text"},
    }
    number = article.get("number")
    if isinstance(number, int) and not isinstance(number, bool) and number >= 0:
        fields["number"] = number
    if article.get("slug"):
        fields["slug"] = text(article["slug"], "article.slug")[:255]
    # Articles say `categories`; search results say `categoryIds`.
    categories = article.get("categories", article.get("categoryIds"))
    if isinstance(categories, list):
        fields["category_ids"] = [
            text(c, f"article.categories[{index}]") for index, c in enumerate(categories)
        ]
    return fields
