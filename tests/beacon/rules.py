"""Build Beacon suggestion rules and Docs articles for tests."""

from helpscout_integration.models import BeaconSuggestion, BeaconSuggestionArticle, DocsArticle


def article(article_id, name="", status="published"):
    return DocsArticle.objects.create(id=article_id, name=name or article_id, status=status)


def rule(pattern, *article_ids, priority=0, search_query="", enabled=True, name=""):
    suggestion = BeaconSuggestion.objects.create(
        name=name or pattern,
        path_pattern=pattern,
        priority=priority,
        search_query=search_query,
        enabled=enabled,
    )
    for position, article_id in enumerate(article_ids):
        if not DocsArticle.objects.filter(id=article_id).exists():
            article(article_id)
        BeaconSuggestionArticle.objects.create(
            suggestion=suggestion, article_id=article_id, position=position
        )
    return suggestion
