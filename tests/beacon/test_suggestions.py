"""Which articles Beacon suggests on a path: rule precedence, caching and invalidation."""

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError

from helpscout_integration.beacon import search
from helpscout_integration.beacon.config import build_config
from helpscout_integration.beacon.suggestions import suggestions_for_path
from helpscout_integration.models import BeaconSuggestion, BeaconSuggestionArticle

from .rules import article, rule

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("beacon_settings")]


def test_exact_path_beats_regex_beats_prefix_and_longer_prefix_beats_shorter():
    rule("/*", "a_root", priority=100)
    rule("/billing/*", "a_billing")
    rule("/billing/invoices/*", "a_invoices")
    rule(r"re:^/billing/invoices/\d+/$", "a_invoice_regex")
    rule("/billing/invoices/7/", "a_invoice_7")
    assert suggestions_for_path("/billing/invoices/7/") == ["a_invoice_7"]
    assert suggestions_for_path("/billing/invoices/8/") == ["a_invoice_regex"]
    assert suggestions_for_path("/billing/invoices/") == ["a_invoices"]
    assert suggestions_for_path("/billing/plans/") == ["a_billing"]
    assert suggestions_for_path("/elsewhere/") == ["a_root"]


def test_priority_breaks_ties_between_equally_specific_rules_then_the_older_rule_wins():
    rule("re:^/orders/", "a_low", priority=1)
    rule("re:/orders/", "a_high", priority=5)
    rule("re:orders", "a_high_newer", priority=5)
    assert suggestions_for_path("/orders/1/") == ["a_high"]


def test_articles_keep_the_rule_order_and_unpublished_or_disabled_are_left_out():
    article("a_draft", status="notpublished")
    rule("/help/", "a_second", "a_draft", "a_first")
    BeaconSuggestionArticle.objects.filter(article_id="a_first").update(position=0)
    BeaconSuggestionArticle.objects.filter(article_id="a_second").update(position=1)
    rule("/off/", "a_off", enabled=False)
    cache.clear()
    assert suggestions_for_path("/help/") == ["a_first", "a_second"]
    assert suggestions_for_path("/off/") == []


def test_no_matching_rule_means_no_suggestions():
    rule("/billing/", "a_billing")
    assert suggestions_for_path("/billing/extra/") == []


def test_tag_arguments_override_the_rules(make_request):
    rule("/billing/*", "a_billing")
    request = make_request("/billing/")
    assert build_config(request)["suggest"] == ["a_billing"]
    assert build_config(request, suggest="x1, x2,,x1")["suggest"] == ["x1", "x2"]
    assert build_config(request, suggest="")["suggest"] == []
    links = [{"text": "Status page", "url": "https://status.example.com"}, "x3"]
    assert build_config(request, suggest=links)["suggest"] == links


def test_override_drops_unsafe_values(make_request):
    config = build_config(
        make_request("/"),
        suggest=["</script>", {"text": "x", "url": "javascript:alert(1)"}, "ok"],
    )
    assert config["suggest"] == ["ok"]


def test_rules_are_cached_and_editing_a_rule_or_its_articles_invalidates_them(
    django_assert_num_queries,
):
    billing = rule("/billing/*", "a_billing")
    assert suggestions_for_path("/billing/") == ["a_billing"]
    with django_assert_num_queries(0):
        assert suggestions_for_path("/billing/") == ["a_billing"]

    billing.path_pattern = "/payments/*"
    billing.save()
    assert suggestions_for_path("/billing/") == []
    assert suggestions_for_path("/payments/") == ["a_billing"]

    BeaconSuggestionArticle.objects.create(
        suggestion=billing, article=article("a_more"), position=5
    )
    assert suggestions_for_path("/payments/") == ["a_billing", "a_more"]

    BeaconSuggestion.objects.get(pk=billing.pk).delete()
    assert suggestions_for_path("/payments/") == []


def test_unpublishing_an_article_invalidates_the_cache():
    rule("/help/", "a_one", "a_two")
    assert suggestions_for_path("/help/") == ["a_one", "a_two"]
    one = article.__globals__["DocsArticle"].objects.get(pk="a_one")
    one.status = "notpublished"
    one.save()
    assert suggestions_for_path("/help/") == ["a_two"]


def test_search_results_follow_the_rule_articles_once_cached():
    rule("/billing/*", "a_billing", search_query="refund card")
    assert suggestions_for_path("/billing/") == ["a_billing"]  # cold search cache
    cache.set(search.cache_key("refund card"), ["s1", "a_billing", "s2"])
    assert suggestions_for_path("/billing/") == ["a_billing", "s1", "s2"]


def test_invalid_regex_is_rejected_by_validation_and_ignored_at_render(caplog):
    bad = BeaconSuggestion(name="bad", path_pattern="re:([")
    with pytest.raises(ValidationError):
        bad.full_clean()
    with pytest.raises(ValidationError):
        BeaconSuggestion(name="rel", path_pattern="billing/").full_clean()
    BeaconSuggestion(name="ok", path_pattern="/billing/*").full_clean()
    bad.save()  # e.g. written outside the admin
    rule("/*", "a_root")
    assert suggestions_for_path("/x/") == ["a_root"]
    assert "invalid regular expression" in caplog.text


def test_another_process_invalidating_through_the_shared_cache_is_seen():
    # Another worker saving a rule deletes the shared version token; this process's
    # memo of the old version must not outlive it.
    from helpscout_integration.beacon.suggestions import VERSION_CACHE_KEY

    billing = rule("/billing/*", "a_billing")
    assert suggestions_for_path("/billing/") == ["a_billing"]
    BeaconSuggestion.objects.filter(pk=billing.pk).update(path_pattern="/payments/*")  # no signal
    assert suggestions_for_path("/billing/") == ["a_billing"]  # still the cached version
    cache.delete(VERSION_CACHE_KEY)
    assert suggestions_for_path("/billing/") == []
    assert suggestions_for_path("/payments/") == ["a_billing"]
