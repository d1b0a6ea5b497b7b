"""Lists are walked lazily, page by page, in both Help Scout pagination shapes."""

from __future__ import annotations

import datetime as dt

import httpx
import pytest

from helpscout_integration.client import Page

from .conftest import API, DOCS, hal


def paged(key: str, pages: list[list[dict]]):
    """A respx side effect serving `pages` by their ?page= number."""

    def serve(request: httpx.Request) -> httpx.Response:
        number = int(request.url.params.get("page", "1"))
        total = sum(len(p) for p in pages)
        return httpx.Response(200, json=hal(key, pages[number - 1], number, len(pages), total))

    return serve


THREE_PAGES = [[{"id": 1}, {"id": 2}], [{"id": 3}, {"id": 4}], [{"id": 5}]]


def test_list_walks_every_page_lazily(client, api):
    route = api.get(f"{API}/conversations").mock(side_effect=paged("conversations", THREE_PAGES))

    items = client.conversations.list(status="all")
    assert route.call_count == 0  # nothing is fetched before iteration

    assert next(items) == {"id": 1}
    assert route.call_count == 1
    assert next(items) == {"id": 2}
    assert route.call_count == 1
    assert next(items) == {"id": 3}
    assert route.call_count == 2

    assert [c["id"] for c in items] == [4, 5]
    assert route.call_count == 3
    assert [c.request.url.params["page"] for c in route.calls] == ["1", "2", "3"]
    assert all(c.request.url.params["status"] == "all" for c in route.calls)


def test_pages_resume_from_a_start_page(client, api):
    route = api.get(f"{API}/conversations").mock(side_effect=paged("conversations", THREE_PAGES))

    pages = list(client.conversations.pages(start_page=2, status="all"))

    assert pages == [
        Page(items=[{"id": 3}, {"id": 4}], number=2, total_pages=3, total_elements=5),
        Page(items=[{"id": 5}], number=3, total_pages=3, total_elements=5),
    ]
    assert [c.request.url.params["page"] for c in route.calls] == ["2", "3"]


def test_an_empty_page_ends_the_walk_even_if_total_pages_says_more(client, api):
    route = api.get(f"{API}/customers")
    route.side_effect = [
        httpx.Response(200, json=hal("customers", [{"id": 1}], 1, 5)),
        httpx.Response(200, json=hal("customers", [], 2, 5)),
    ]

    assert [c["id"] for c in client.customers.list()] == [1]
    assert route.call_count == 2


def test_a_server_ignoring_page_numbers_cannot_loop_forever(client, api):
    route = api.get(f"{API}/tags").respond(200, json=hal("tags", [{"id": 1}], 1, 2))

    assert len(list(client.tags.list())) == 2
    assert route.call_count == 2


def test_a_list_without_page_object_or_embedded_items_is_one_empty_page(client, api):
    api.get(f"{API}/webhooks").respond(200, json={})

    assert list(client.webhooks.list()) == []


def test_datetime_parameters_are_sent_as_utc_iso8601_with_z(client, api):
    route = api.get(f"{API}/conversations").respond(200, json=hal("conversations", []))
    since = dt.datetime(2026, 1, 2, 4, 5, 6, 789, tzinfo=dt.timezone(dt.timedelta(hours=1)))

    list(client.conversations.list(modifiedSince=since, mailbox=12, tag=["a", "b"], query=None))

    params = route.calls[0].request.url.params
    assert params["modifiedSince"] == "2026-01-02T03:05:06Z"
    assert params["mailbox"] == "12"
    assert params["tag"] == "a,b"
    assert "query" not in params


def test_docs_pagination_reads_the_wrapper_shape(client, api):
    def serve(request):
        number = int(request.url.params["page"])
        items = [[{"id": "a1"}, {"id": "a2"}], [{"id": "a3"}], [{"id": "a4"}]][number - 1]
        return httpx.Response(
            200, json={"articles": {"page": number, "pages": 3, "count": 4, "items": items}}
        )

    route = api.get(f"{DOCS}/collections/c1/articles").mock(side_effect=serve)

    articles = client.docs.articles(collection_id="c1", status="published")
    assert next(articles)["id"] == "a1"
    assert route.call_count == 1
    assert [a["id"] for a in articles] == ["a2", "a3", "a4"]
    assert route.call_count == 3
    assert route.calls[0].request.url.params["status"] == "published"

    pages = list(client.docs.articles(collection_id="c1").pages(start_page=3))
    assert pages == [Page(items=[{"id": "a4"}], number=3, total_pages=3, total_elements=4)]


def test_docs_collections_categories_and_search(client, api):
    def wrap(key, items):
        return {key: {"page": 1, "pages": 1, "count": len(items), "items": items}}

    api.get(f"{DOCS}/collections").respond(200, json=wrap("collections", [{"id": "c1"}]))
    api.get(f"{DOCS}/collections/c1/categories").respond(
        200, json=wrap("categories", [{"id": "k1"}])
    )
    api.get(f"{DOCS}/categories/k1/articles").respond(200, json=wrap("articles", [{"id": "a"}]))
    search = api.get(f"{DOCS}/search/articles").respond(200, json=wrap("articles", [{"id": "b"}]))
    api.get(f"{DOCS}/articles/a").respond(200, json={"article": {"id": "a", "text": "<p>x</p>"}})

    assert [c["id"] for c in client.docs.collections()] == ["c1"]
    assert [c["id"] for c in client.docs.categories("c1")] == ["k1"]
    assert [a["id"] for a in client.docs.articles(category_id="k1")] == ["a"]
    assert [a["id"] for a in client.docs.search("refund policy")] == ["b"]
    assert search.calls[0].request.url.params["query"] == "refund policy"
    assert client.docs.article("a") == {"id": "a", "text": "<p>x</p>"}


def test_docs_articles_needs_exactly_one_parent(client):
    with pytest.raises(TypeError):
        client.docs.articles()
    with pytest.raises(TypeError):
        client.docs.articles(collection_id="c", category_id="k")
