"""Docs API v1: Basic auth with the key as username, and its own paging shape."""

import httpx
import pytest

from helpscout_integration.sandbox import Sandbox


@pytest.fixture(scope="module")
def docs(demo):
    with httpx.Client(base_url=demo.docs_base_url, auth=("any-docs-key", "X")) as client:
        yield client


def test_docs_api_needs_basic_auth(demo):
    response = httpx.get(f"{demo.docs_base_url}/collections")
    assert response.status_code == 401
    assert response.json() == {"status": 401, "message": response.json()["message"]}
    bearer = httpx.get(f"{demo.docs_base_url}/collections", headers={"Authorization": "Bearer x"})
    assert bearer.status_code == 401


def test_a_configured_key_is_enforced():
    with Sandbox(docs_api_key="the-key") as sb:
        assert httpx.get(f"{sb.docs_base_url}/collections", auth=("nope", "X")).status_code == 401
        assert (
            httpx.get(f"{sb.docs_base_url}/collections", auth=("the-key", "X")).status_code == 200
        )
        assert sb.helpscout_settings()["DOCS_API_KEY"] == "the-key"


def test_collections_categories_and_articles(docs):
    collections = docs.get("/collections").json()["collections"]
    assert (collections["page"], collections["pages"], collections["count"]) == (1, 1, 2)
    total = 0
    for collection in collections["items"]:
        assert len(collection["id"]) == 24
        categories = docs.get(f"/collections/{collection['id']}/categories").json()["categories"]
        for category in categories["items"]:
            articles = docs.get(f"/categories/{category['id']}/articles").json()["articles"]
            assert articles["count"] == category["articleCount"]
            assert all(
                category["id"] in docs.get(f"/articles/{a['id']}").json()["article"]["categories"]
                for a in articles["items"][:2]
            )
        in_collection = docs.get(f"/collections/{collection['id']}/articles").json()["articles"]
        total += in_collection["count"]
    assert total == 40


def test_article_pages_and_status_filter(docs):
    collection = docs.get("/collections").json()["collections"]["items"][0]
    url = f"/collections/{collection['id']}/articles"
    everything = docs.get(url).json()["articles"]
    first = docs.get(url, params={"pageSize": 5}).json()["articles"]
    assert (first["page"], len(first["items"])) == (1, 5)
    assert first["pages"] == -(-everything["count"] // 5)
    second = docs.get(url, params={"pageSize": 5, "page": 2}).json()["articles"]
    assert {a["id"] for a in first["items"]}.isdisjoint(a["id"] for a in second["items"])
    published = docs.get(url, params={"status": "published"}).json()["articles"]
    assert {a["status"] for a in published["items"]} == {"published"}
    assert published["count"] < everything["count"]
    assert docs.get(url, params={"pageSize": 500}).status_code == 400


def test_article_by_id_or_number(docs):
    ref = docs.get("/search/articles", params={"query": "password"}).json()["articles"]["items"][0]
    by_id = docs.get(f"/articles/{ref['id']}").json()["article"]
    assert by_id["name"] == "Reset your password" and "<h2>" in by_id["text"]
    assert docs.get(f"/articles/{by_id['number']}").json()["article"]["id"] == ref["id"]
    assert docs.get("/articles/ffffffffffffffffffffffff").status_code == 404


def test_search(docs):
    found = docs.get("/search/articles", params={"query": "refund"}).json()["articles"]
    assert found["count"] >= 1
    assert found["items"][0]["name"] == "Request a refund"  # the title match comes first
    for item in found["items"]:  # the others mention refunds in their text
        assert "refund" in docs.get(f"/articles/{item['id']}").json()["article"]["text"].lower()
    assert docs.get("/search/articles").status_code == 400


def test_search_results_are_the_shorter_object_help_scout_sends(docs):
    item = docs.get("/search/articles", params={"query": "password"}).json()["articles"]["items"][0]
    assert "categories" not in item and isinstance(item["categoryIds"], list)
    assert 0 < len(item["preview"]) <= 160
    assert item["docsUrl"].startswith("/docs/")  # relative to secure.helpscout.net
    assert "text" not in item
    error = docs.get("/articles/ffffffffffffffffffffffff").json()
    assert set(error) == {"status", "message"} and error["status"] == 404


def test_a_search_item_keeps_its_categories_when_parsed(docs):
    from helpscout_integration.payloads.docs import parse_docs_article

    item = docs.get("/search/articles", params={"query": "password"}).json()["articles"]["items"][0]
    assert item["categoryIds"]
    assert parse_docs_article(item)["category_ids"] == item["categoryIds"]
