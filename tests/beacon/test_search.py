"""Docs searches for rules run in the background and land in the cache, never at render."""

import httpx
import pytest
import respx

from helpscout_integration.beacon import search
from helpscout_integration.client import HelpScoutClient

from .rules import rule

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("beacon_settings")]

SEARCH_URL = "https://docsapi.helpscout.net/v1/search/articles"


def search_page(*ids):
    items = [{"id": i, "name": i, "url": f"https://docs.example.com/{i}"} for i in ids]
    return {"articles": {"page": 1, "pages": 1, "count": len(items), "items": items}}


@respx.mock(assert_all_called=True)
def test_saving_a_rule_with_a_search_query_runs_the_search_in_a_task_and_caches_ids(respx_mock):
    route = respx_mock.get(SEARCH_URL).mock(
        return_value=httpx.Response(200, json=search_page("d1", "d2"))
    )
    rule("/billing/*", search_query="refund")
    assert route.calls.last.request.url.params["query"] == "refund"
    assert search.cached_results("refund") == ["d1", "d2"]


@respx.mock
def test_docs_down_keeps_previous_results_and_never_raises(respx_mock, caplog):
    respx_mock.get(SEARCH_URL).mock(return_value=httpx.Response(503))
    search.cache.set(search.cache_key("refund"), ["old"])
    client = HelpScoutClient(docs_api_key="k", sleep=lambda s: None)
    with client:
        assert search.refresh_searches(client, ["refund"]) == {}
    assert search.cached_results("refund") == ["old"]
    assert "Docs search" in caplog.text


def test_cache_key_ignores_case_and_spacing():
    assert search.cache_key("Refund  Card") == search.cache_key("refund card")
