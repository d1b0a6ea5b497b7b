"""Docs API v1: sites, collections, categories, articles and article search.

Its lists use the Docs wrapper shape (`{"articles": {"page", "pages", "count", "items"}}`);
it never touches the Mailbox API or its OAuth token.
"""

from __future__ import annotations

from typing import Any

from ...jsontypes import JSONObject
from ..pagination import Listing, docs_page
from .base import Resource


class Docs(Resource):
    page_reader = staticmethod(docs_page)

    def sites(self, **params: Any) -> Listing:
        return self._list("/sites", "sites", params)

    def collections(self, **params: Any) -> Listing:
        """`GET /collections` (`siteId`, `visibility`, `sort`, `order`)."""
        return self._list("/collections", "collections", params)

    def categories(self, collection_id: str, **params: Any) -> Listing:
        return self._list(f"/collections/{collection_id}/categories", "categories", params)

    def articles(
        self, collection_id: str | None = None, category_id: str | None = None, **params: Any
    ) -> Listing:
        """Article summaries of one collection or one category (`status`, `sort`, `pageSize`)."""
        if (collection_id is None) == (category_id is None):
            raise TypeError("articles() needs exactly one of collection_id or category_id")
        if collection_id is not None:
            return self._list(f"/collections/{collection_id}/articles", "articles", params)
        return self._list(f"/categories/{category_id}/articles", "articles", params)

    def article(self, article_id: str | int) -> JSONObject:
        """One full article (with `text`), by id or number."""
        body = self._get_object(f"/articles/{article_id}")
        article: JSONObject = body.get("article", body) if isinstance(body, dict) else body
        return article

    def search(self, query: str, **params: Any) -> Listing:
        """`GET /search/articles` (`collectionId`, `siteId`, `status`, `visibility`)."""
        return self._list("/search/articles", "articles", {"query": query, **params})
