"""The demo seed's Docs articles read as a product's help articles: a lead paragraph, a
section with steps or facts, and links to related articles that resolve to other
articles of the Help Center (by public URL, and through the Docs API's `related`)."""

import re

import httpx
import pytest

from helpscout_integration.sandbox import Sandbox
from helpscout_integration.sandbox.seed import AGENT_LINES, CUSTOMER_LINES


@pytest.fixture(scope="module")
def sb():
    with Sandbox(seed="demo", rate_limit_per_minute=None) as sandbox:
        yield sandbox


def test_each_article_has_a_lead_a_section_and_related_links(sb):
    articles = list(sb.store.docs_articles.values())
    by_url = {a.public_url: a for a in articles}
    for article in articles:
        text = article.text
        assert re.match(r"<p>[A-Z][^<]{20,}</p>", text), article.name
        assert re.search(r"<h2>[^<]+</h2><(ol|ul)>(<li>[^<]+</li>){2,}</\1>", text), article.name
        targets = re.findall(r'<a href="([^"]+)">([^<]+)</a>', text)
        assert len(targets) >= 2, article.name
        for url, title in targets:
            assert by_url[url].name == title and by_url[url].id != article.id
        assert [by_url[url].id for url, _title in targets] == article.related


def test_no_article_is_filler_taken_from_conversations(sb):
    lines = AGENT_LINES + CUSTOMER_LINES
    for article in sb.store.docs_articles.values():
        assert not any(line in article.text for line in lines), article.name


def test_the_docs_api_serves_the_related_articles(sb):
    article = next(a for a in sb.store.docs_articles.values() if a.name == "Reset your password")
    with httpx.Client(base_url=sb.docs_base_url, auth=("sandbox-docs-key", "X")) as docs:
        served = docs.get(f"/articles/{article.id}").json()["article"]
        assert served["related"] == article.related
        related = docs.get(f"/articles/{article.id}/related").json()["articles"]["items"]
    assert [a["name"] for a in related] == ["Two-factor authentication", "Single sign-on"]
