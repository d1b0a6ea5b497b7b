"""`sync_docs` mirrors Docs articles from the (sandboxed) Docs API into DocsArticle."""

import pytest
from django.core.cache import cache
from django.core.management import call_command

from helpscout_integration.beacon import search
from helpscout_integration.beacon.suggestions import suggestions_for_path
from helpscout_integration.client import HelpScoutClient
from helpscout_integration.exceptions import ServerError
from helpscout_integration.models import DocsArticle
from helpscout_integration.sync.docs import sync_docs

from .rules import rule

pytestmark = pytest.mark.django_db


@pytest.fixture
def docs_client(helpscout_sandbox):
    with HelpScoutClient.from_settings(require_mailbox_api=False, sleep=lambda s: None) as c:
        yield c


@pytest.mark.helpscout_sandbox(seed="demo")
def test_mirrors_every_article_and_a_second_run_changes_nothing(helpscout_sandbox, docs_client):
    store = helpscout_sandbox.store.docs_articles
    first = sync_docs(docs_client)
    assert first.created == len(store) > 0
    some = next(iter(store.values()))
    mirrored = DocsArticle.objects.get(pk=some.id)
    assert mirrored.name == some.name
    assert mirrored.public_url == some.public_url
    assert mirrored.collection_id == some.collection_id
    assert mirrored.status == some.status
    second = sync_docs(docs_client)
    assert (second.created, second.updated, second.unchanged) == (0, 0, len(store))


@pytest.mark.helpscout_sandbox(seed="demo")
def test_renamed_and_removed_articles_are_updated_and_marked_deleted(
    helpscout_sandbox, docs_client
):
    sync_docs(docs_client)
    store = helpscout_sandbox.store.docs_articles
    renamed, removed = list(store.values())[:2]
    renamed.name = "Renamed in Docs"
    renamed.updated_at += 60
    del store[removed.id]
    rule("/help/", removed.id, renamed.id)

    result = sync_docs(docs_client)
    assert (result.updated, result.deleted) == (1, 1)
    assert DocsArticle.objects.get(pk=renamed.id).name == "Renamed in Docs"
    assert DocsArticle.objects.get(pk=removed.id).status == "deleted"  # kept for the rule
    expected = [renamed.id] if renamed.status == "published" else []
    assert suggestions_for_path("/help/") == expected


@pytest.mark.helpscout_sandbox(seed="demo")
def test_refreshes_the_docs_searches_of_rules(helpscout_sandbox, docs_client, settings):
    published = next(
        a for a in helpscout_sandbox.store.docs_articles.values() if a.status == "published"
    )
    word = published.name.split()[0].lower()
    rule("/billing/*", search_query=word)
    cache.delete(search.cache_key(word))
    sync_docs(docs_client)
    assert published.id in search.cached_results(word)


@pytest.mark.helpscout_sandbox(seed="demo")
def test_docs_failing_midway_writes_nothing(docs_client, helpscout_sandbox):
    # The collections list answers; every collection's article listing then fails.
    helpscout_sandbox.faults.fail_next(100, status=500, path="/docs/v1/collections/")
    with pytest.raises(ServerError):
        sync_docs(docs_client)
    assert not DocsArticle.objects.exists()


@pytest.mark.helpscout_sandbox(seed="demo")
def test_helpscout_sync_resource_docs_runs_the_docs_mirror(helpscout_sandbox):
    call_command("helpscout_sync", "--resource", "docs", verbosity=0)
    assert DocsArticle.objects.count() == len(helpscout_sandbox.store.docs_articles)
