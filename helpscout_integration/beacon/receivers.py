"""Keep the cached Beacon rules honest: any edit to a rule or an article invalidates them.

Connected at start-up by the app config. A rule saved with a search query also queues
its Docs search once the transaction commits, so the suggestions are warm by the time a
visitor arrives. Receivers never perform HTTP themselves.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from ..models import BeaconSuggestion, BeaconSuggestionArticle, DocsArticle
from . import search
from .suggestions import invalidate_rules


@receiver(post_save, sender=BeaconSuggestion, dispatch_uid="hs_beacon_rule_saved")
def _rule_saved(sender, instance: BeaconSuggestion, **kwargs) -> None:
    invalidate_rules()
    transaction.on_commit(invalidate_rules)
    query = (instance.search_query or "").strip()
    if instance.enabled and query and search.cached_results(query) is None:
        transaction.on_commit(lambda: search.enqueue_refresh([query]))


@receiver(post_delete, sender=BeaconSuggestion, dispatch_uid="hs_beacon_rule_deleted")
@receiver(post_save, sender=BeaconSuggestionArticle, dispatch_uid="hs_beacon_item_saved")
@receiver(post_delete, sender=BeaconSuggestionArticle, dispatch_uid="hs_beacon_item_deleted")
@receiver(post_save, sender=DocsArticle, dispatch_uid="hs_beacon_article_saved")
@receiver(post_delete, sender=DocsArticle, dispatch_uid="hs_beacon_article_deleted")
def _rules_changed(sender, **kwargs) -> None:
    # Now (this request sees its own change) and after commit (a render that refilled the
    # cache from the old rows between the write and the commit is discarded).
    invalidate_rules()
    transaction.on_commit(invalidate_rules)
