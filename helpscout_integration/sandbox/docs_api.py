"""Docs API v1 routes: sites, collections, categories, articles and article search, behind
HTTP Basic auth with the Docs API key as username, in the Docs API's own paging shape
`{"<things>": {"page", "pages", "count", "items"}}`.

Read-only, like the parts of the Docs API this app uses.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import json
import math
from typing import TYPE_CHECKING, Any

from . import shapes
from .server import ApiError, Request, Response, Router

if TYPE_CHECKING:
    from .host import SandboxHost

router = Router()
DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 100


class DocsError(ApiError):
    """The Docs API's error body is `{"status": status, "message": message}`."""

    def response(self) -> Response:
        body = json.dumps({"status": self.status, "message": self.message}).encode()
        return Response(self.status, body, {"Content-Type": "application/json"})


def check_key(sb: SandboxHost, request: Request) -> None:
    header = request.header("authorization") or ""
    scheme, _, encoded = header.partition(" ")
    key = ""
    if scheme.lower() == "basic":
        try:
            key = base64.b64decode(encoded.strip(), validate=True).decode().partition(":")[0]
        except (binascii.Error, UnicodeDecodeError):
            key = ""
    expected = sb.docs_api_key
    if not key or (expected is not None and not hmac.compare_digest(key, expected)):
        raise DocsError(
            401,
            "Unable to authenticate: send the Docs API key as the Basic username",
            headers={"WWW-Authenticate": 'Basic realm="Help Scout Docs API"'},
        )


def _int(request: Request, name: str, default: int, maximum: int | None = None) -> int:
    raw = request.param(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        raise DocsError(400, f"{name} must be a whole number") from None
    if value < 1 or (maximum is not None and value > maximum):
        raise DocsError(400, f"{name} must be between 1 and {maximum or 'any'}")
    return value


def docs_page(request: Request, key: str, items: list, render) -> Response:
    page = _int(request, "page", 1)
    size = _int(request, "pageSize", DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)
    pages = max(1, math.ceil(len(items) / size))
    chunk = items[(page - 1) * size : page * size]
    return Response.json(
        {
            key: {
                "page": page,
                "pages": pages,
                "count": len(items),
                "items": [render(i) for i in chunk],
            }
        },
        headers={"Content-Type": "application/json"},
    )


def _sorted_articles(request: Request, articles: list) -> list:
    status = request.param("status", "all")
    if status not in ("all", "published", "notpublished"):
        raise DocsError(400, "status must be all, published or notpublished")
    if status != "all":
        articles = [a for a in articles if a.status == status]
    sort = request.param("sort", "order")
    keys: dict[str, Any] = {
        "number": lambda a: a.number,
        "status": lambda a: a.status,
        "name": lambda a: a.name.lower(),
        "popularity": lambda a: a.popularity,
        "createdAt": lambda a: a.created_at,
        "updatedAt": lambda a: a.updated_at,
        "order": lambda a: a.number,
    }
    if sort not in keys:
        raise DocsError(400, f"sort must be one of {', '.join(keys)}")
    descending = (request.param("order") or "asc").lower() == "desc"
    return sorted(articles, key=keys[sort], reverse=descending)


def _get(mapping: dict, key: str, what: str):
    try:
        return mapping[key]
    except KeyError:
        raise DocsError(404, f"{what} not found") from None


@router.route("GET", r"/sites")
def list_sites(sb: SandboxHost, request: Request) -> Response:
    items = list(sb.store.docs_sites.values())
    return docs_page(
        request,
        "sites",
        items,
        lambda s: {"id": s.id, "status": "active", "subDomain": s.subdomain, "title": s.title},
    )


@router.route("GET", r"/collections")
def list_collections(sb: SandboxHost, request: Request) -> Response:
    items = sorted(sb.store.docs_collections.values(), key=lambda c: c.order)
    site_id, visibility = request.param("siteId"), request.param("visibility", "all")
    if site_id:
        items = [c for c in items if c.site_id == site_id]
    if visibility != "all":
        items = [c for c in items if c.visibility == visibility]
    return docs_page(request, "collections", items, lambda c: shapes.docs_collection(c, sb.store))


@router.route("GET", r"/collections/(?P<collection_id>\w+)")
def get_collection(sb: SandboxHost, request: Request, collection_id: str) -> Response:
    collection = _get(sb.store.docs_collections, collection_id, "Collection")
    return Response.json({"collection": shapes.docs_collection(collection, sb.store)})


@router.route("GET", r"/collections/(?P<collection_id>\w+)/categories")
def list_categories(sb: SandboxHost, request: Request, collection_id: str) -> Response:
    _get(sb.store.docs_collections, collection_id, "Collection")
    items = sorted(
        (c for c in sb.store.docs_categories.values() if c.collection_id == collection_id),
        key=lambda c: c.order,
    )
    return docs_page(request, "categories", items, lambda c: shapes.docs_category(c, sb.store))


@router.route("GET", r"/categories/(?P<category_id>\w+)")
def get_category(sb: SandboxHost, request: Request, category_id: str) -> Response:
    category = _get(sb.store.docs_categories, category_id, "Category")
    return Response.json({"category": shapes.docs_category(category, sb.store)})


@router.route("GET", r"/collections/(?P<collection_id>\w+)/articles")
def collection_articles(sb: SandboxHost, request: Request, collection_id: str) -> Response:
    _get(sb.store.docs_collections, collection_id, "Collection")
    items = [a for a in sb.store.docs_articles.values() if a.collection_id == collection_id]
    return docs_page(request, "articles", _sorted_articles(request, items), shapes.docs_article_ref)


@router.route("GET", r"/categories/(?P<category_id>\w+)/articles")
def category_articles(sb: SandboxHost, request: Request, category_id: str) -> Response:
    _get(sb.store.docs_categories, category_id, "Category")
    items = [a for a in sb.store.docs_articles.values() if category_id in a.category_ids]
    return docs_page(request, "articles", _sorted_articles(request, items), shapes.docs_article_ref)


@router.route("GET", r"/articles/(?P<article_id>\w+)")
def get_article(sb: SandboxHost, request: Request, article_id: str) -> Response:
    articles = sb.store.docs_articles
    article = articles.get(article_id)
    if article is None and article_id.isdigit():
        article = next((a for a in articles.values() if a.number == int(article_id)), None)
    if article is None:
        raise DocsError(404, "Article not found")
    return Response.json({"article": shapes.docs_article(article)})


@router.route("GET", r"/articles/(?P<article_id>\w+)/related")
def related_articles(sb: SandboxHost, request: Request, article_id: str) -> Response:
    article = _get(sb.store.docs_articles, article_id, "Article")
    # The articles it names as related, else the others of its categories.
    items = [sb.store.docs_articles[i] for i in article.related if i in sb.store.docs_articles]
    items = items or [
        a
        for a in sb.store.docs_articles.values()
        if a.id != article.id and set(a.category_ids) & set(article.category_ids)
    ]
    return docs_page(request, "articles", items[:5], shapes.docs_article_ref)


@router.route("GET", r"/search/articles")
def search_articles(sb: SandboxHost, request: Request) -> Response:
    query = (request.param("query") or "").strip().lower()
    if not query:
        raise DocsError(400, "query is required")
    words = query.split()
    collection_id = request.param("collectionId")
    status = request.param("status", "published")
    items = []
    for article in sb.store.docs_articles.values():
        if collection_id and article.collection_id != collection_id:
            continue
        if status != "all" and article.status != status:
            continue
        haystack = f"{article.name} {article.text} {' '.join(article.keywords)}".lower()
        if all(word in haystack for word in words):
            items.append(article)
    # Articles whose title holds every word first (as a search engine weighs titles), then
    # the most popular.
    items.sort(key=lambda a: (not all(w in a.name.lower() for w in words), -a.popularity, a.number))
    return docs_page(request, "articles", items, shapes.docs_search_result)
