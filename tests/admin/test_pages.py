"""Every admin page of the app renders for a superuser, and mirrors stay read-only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from helpscout_integration.models import (
    BeaconSuggestion,
    BeaconSuggestionArticle,
    DocsArticle,
    SatisfactionRating,
    SyncState,
    WebhookEvent,
)

pytestmark = pytest.mark.django_db

MODELS = [
    "mailbox", "agent", "customer", "tag", "conversation", "satisfactionrating",
    "webhookevent", "syncstate", "docsarticle", "beaconsuggestion",
]  # fmt: skip


@pytest.fixture
def everything(mirror):
    conv = mirror.conversation(
        threads=[{"type": "customer", "body": "<p>Help!</p>", "created_by_name": "Cleo"}]
    )
    SatisfactionRating.objects.create(
        id=900, conversation=conv, customer=mirror.customer, agent=mirror.agent, rating="great"
    )
    WebhookEvent.objects.create(
        event_type="convo.created", body=b'{"id": 1}', headers={"X-HelpScout-Signature": "sig"}
    )
    SyncState.objects.create(resource="conversations", last_run_stats={"rate_limit_waits": 2})
    article = DocsArticle.objects.create(id="a1", name="Reset your password")
    rule = BeaconSuggestion.objects.create(name="Billing", path_pattern="/billing/*")
    BeaconSuggestionArticle.objects.create(suggestion=rule, article=article, position=0)
    return {
        "mailbox": mirror.mailbox, "agent": mirror.agent, "customer": mirror.customer,
        "tag": mirror.tag, "conversation": conv,
        "satisfactionrating": SatisfactionRating.objects.get(),
        "webhookevent": WebhookEvent.objects.get(), "syncstate": SyncState.objects.get(),
        "docsarticle": article, "beaconsuggestion": rule,
    }  # fmt: skip


@pytest.mark.parametrize("model", MODELS)
def test_changelist_and_change_page_render(admin_client, everything, model):
    changelist = reverse(f"admin:helpscout_integration_{model}_changelist")
    response = admin_client.get(changelist)
    assert response.status_code == 200
    obj = everything[model]
    response = admin_client.get(
        reverse(f"admin:helpscout_integration_{model}_change", args=[obj.pk])
    )
    assert response.status_code == 200


@pytest.mark.parametrize("model", ["mailbox", "agent", "customer", "tag", "conversation"])
def test_mirrors_cannot_be_added_changed_or_deleted(admin_client, everything, model):
    assert admin_client.get(reverse(f"admin:helpscout_integration_{model}_add")).status_code == 403
    obj = everything[model]
    delete = reverse(f"admin:helpscout_integration_{model}_delete", args=[obj.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert type(obj).objects.filter(pk=obj.pk).exists()
    change = reverse(f"admin:helpscout_integration_{model}_change", args=[obj.pk])
    page = admin_client.get(change).content.decode()
    assert 'name="_save"' not in page  # view mode: no save button


def test_filters_and_search_render(admin_client, everything, mirror):
    url = reverse("admin:helpscout_integration_conversation_changelist")
    conv = everything["conversation"]
    for query in (
        {"status__exact": "active"},
        {"mailbox__id__exact": mirror.mailbox.pk},
        {"assignee": str(mirror.agent.pk)},
        {"tag": str(mirror.tag.pk)},
        {"deleted": "no"},
        {"updated_at__year": "2026"},
        {"updated_at__year": "2026", "updated_at__month": "3"},
    ):
        response = admin_client.get(url, query)
        assert response.status_code == 200, query
        assert conv.subject in response.content.decode(), query
    for query in ({"assignee": "none"}, {"status__exact": "closed"}, {"deleted": "yes"},
                  {"updated_at__year": "2025"}):  # fmt: skip
        response = admin_client.get(url, query)
        assert response.status_code == 200, query
        assert conv.subject not in response.content.decode(), query


def test_assigned_to_me_matches_the_agent_by_email(client, mirror, staff_user):
    mine = mirror.conversation(subject="Mine")
    mirror.conversation(subject="Not mine", assignee=None)
    client.force_login(staff_user("view_conversation", email="ADA@example.com"))
    url = reverse("admin:helpscout_integration_conversation_changelist")
    page = client.get(url, {"assignee": "me"}).content.decode()
    assert mine.subject in page and "Not mine" not in page


@pytest.mark.parametrize(
    "term,found",
    [("#{number}", True), ("{number}", True), ("cleo@example", True), ("Customer", True),
     ("Subject", True), ("nothing-like-this", False)],
)  # fmt: skip
def test_search_by_number_subject_and_customer(admin_client, mirror, term, found):
    conv = mirror.conversation(subject="Refund for order")
    other = mirror.conversation(subject="Unrelated", customer=None)
    url = reverse("admin:helpscout_integration_conversation_changelist")
    response = admin_client.get(
        url, {"q": term.format(number=conv.number).replace("Subject", "Refund")}
    )
    page = response.content.decode()
    assert ("Refund for order" in page) is found
    if term.startswith(("#", "{")):
        assert other.subject not in page


def test_webhook_headers_hide_the_signature(admin_client, everything):
    event = everything["webhookevent"]
    page = admin_client.get(
        reverse("admin:helpscout_integration_webhookevent_change", args=[event.pk])
    ).content.decode()
    assert "convo.created" in page
    assert "X-HelpScout-Signature" not in page


def test_app_index_links_to_overview(admin_client):
    page = admin_client.get(reverse("admin:app_list", args=["helpscout_integration"]))
    assert reverse("admin:helpscout_integration_overview") in page.content.decode()


def test_beacon_suggestion_inline_uses_article_autocomplete(admin_client, everything):
    rule = everything["beaconsuggestion"]
    page = admin_client.get(
        reverse("admin:helpscout_integration_beaconsuggestion_change", args=[rule.pk])
    ).content.decode()
    assert "admin-autocomplete" in page
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {"term": "reset", "app_label": "helpscout_integration",
         "model_name": "beaconsuggestionarticle", "field_name": "article"},
    )  # fmt: skip
    assert response.json()["results"] == [{"id": "a1", "text": "Reset your password"}]


def test_staff_create_a_beacon_rule_with_ordered_articles(admin_client):
    DocsArticle.objects.create(id="a1", name="Reset your password")
    DocsArticle.objects.create(id="b2", name="Update billing details")
    prefix = "items"
    data = {
        "name": "Billing pages", "path_pattern": "/billing/*", "priority": "5",
        "search_query": "", "enabled": "on",
        f"{prefix}-TOTAL_FORMS": "2", f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000",
        f"{prefix}-0-position": "1", f"{prefix}-0-article": "a1",
        f"{prefix}-1-position": "0", f"{prefix}-1-article": "b2",
    }  # fmt: skip
    response = admin_client.post(reverse("admin:helpscout_integration_beaconsuggestion_add"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    rule = BeaconSuggestion.objects.get(name="Billing pages")
    assert [i.article_id for i in rule.items.all()] == ["b2", "a1"]


def test_search_words_must_all_match_and_emails_only_match_customers(admin_client, mirror):
    from helpscout_integration.models import Customer

    dana = Customer.objects.create(id=77, first_name="Dana", email="dana@corp.example")
    mirror.conversation(subject="Invoice question", customer=dana)
    mirror.conversation(subject="Mail from dana@corp.example about invoices")
    url = reverse("admin:helpscout_integration_conversation_changelist")

    def found(q):
        return [s for s in ("Invoice question", "Mail from dana")
                if s in admin_client.get(url, {"q": q}).content.decode()]  # fmt: skip

    assert found("dana@corp.example") == ["Invoice question"]  # the customer, not the subject
    assert found("Dana invoice") == ["Invoice question", "Mail from dana"]
    assert found("Dana question") == ["Invoice question"]
    assert found('"invoice question"') == ["Invoice question"]


def test_webhook_event_page_shows_a_body_nested_too_deep(admin_client, db):
    body = b"[" * 5000 + b"]" * 5000
    event = WebhookEvent.objects.create(
        event_type="convo.created", body=body, status="failed", signature_valid=True
    )
    response = admin_client.get(
        reverse("admin:helpscout_integration_webhookevent_change", args=[event.pk])
    )
    assert response.status_code == 200
    assert "[[[[" in response.content.decode()


def test_customer_emails_and_phones_show_as_lists_not_json(mirror, staff_user):
    from django.test import Client as _Client

    customer = mirror.customer
    customer.emails = ["cleo@example.com", "cleo@work.example"]
    customer.phones = [{"type": "work", "value": "+1 555 0100"}]
    customer.save()
    client = _Client()
    client.force_login(staff_user("view_customer"))
    page = client.get(
        reverse("admin:helpscout_integration_customer_change", args=[customer.pk])
    ).content.decode()
    assert "<li>cleo@example.com</li><li>cleo@work.example</li>" in page
    assert "<li>+1 555 0100</li>" in page
    assert "[&quot;cleo@example.com&quot;" not in page and '["cleo@example.com"' not in page


def test_timeline_and_fields_share_one_time_format_and_zone(mirror, staff_user, settings):
    from django.test import Client as _Client
    from django.utils import timezone as _tz
    from django.utils.formats import date_format

    settings.TIME_ZONE = "America/New_York"
    conv = mirror.conversation(threads=[{"type": "customer", "body": "hi"}])
    client = _Client()
    client.force_login(staff_user("view_conversation"))
    page = client.get(
        reverse("admin:helpscout_integration_conversation_change", args=[conv.pk])
    ).content.decode()
    with _tz.override("America/New_York"):
        shown = date_format(_tz.localtime(conv.created_at), "DATETIME_FORMAT")
    import re

    times = re.findall(r"<time datetime=\"[^\"]+\">([^<]*)</time>", page)
    assert times and set(times) == {shown}, (times, shown)  # the timeline's times ...
    assert page.count(shown) > len(times)  # ... read as the fields below do


def test_the_demo_serves_a_favicon(client):
    from django.contrib.staticfiles import finders

    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"] == "/static/demo/favicon.svg"
    found = finders.find("demo/favicon.svg")  # what runserver serves at that URL
    assert found and "<svg" in open(found).read()


def test_show_all_beside_the_count_appears_only_when_it_clears_something(mirror, staff_user):
    from django.test import Client as _Client

    for n in range(3):
        mirror.conversation(subject=f"Refund {n}" if n else "Other")
    client = _Client()
    client.force_login(staff_user("view_conversation"))
    changelist = reverse("admin:helpscout_integration_conversation_changelist")
    unfiltered = client.get(changelist).content.decode()
    assert "Show all" not in unfiltered.split('id="changelist-search"', 1)[1].split("</form>")[0]
    searched = client.get(changelist, {"q": "Refund"}).content.decode()
    search_box = searched.split('id="changelist-search"', 1)[1].split("</form>")[0]
    assert "2 results" in search_box and 'href="?"' in search_box and "Show all" in search_box


def test_lists_load_the_1366px_stylesheet(mirror, staff_user):
    from django.test import Client as _Client

    client = _Client()
    client.force_login(staff_user("view_conversation", "view_webhookevent"))
    for name in ("conversation", "webhookevent"):
        page = client.get(reverse(f"admin:helpscout_integration_{name}_changelist"))
        assert "helpscout_integration/admin-lists.css" in page.content.decode(), name
