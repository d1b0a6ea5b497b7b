"""The demo's content that a sync cannot bring: Beacon suggestions for the product page,
and satisfaction ratings that reach the mirror through the sandbox's webhooks."""

from __future__ import annotations

import json
import time

import pytest
from django.core.management import call_command
from django.urls import reverse

from helpscout_integration.models import Customer, DocsArticle, SatisfactionRating, WebhookEvent

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.helpscout_sandbox(seed="demo", rate_limit_per_minute=None),
]

SECRET = "demo-content-webhook-secret"


def beacon_config(page: str) -> dict:
    raw = page.split('id="helpscout-beacon-config" type="application/json">', 1)[1]
    return json.loads(raw.split("</script>", 1)[0])


def test_the_product_page_gets_suggestions_after_the_demo_setup(helpscout_sandbox, client):
    call_command("helpscout_sync", "--resource", "docs", "--no-progress", verbosity=0)
    assert beacon_config(client.get("/").content.decode())["suggest"] == []  # before

    call_command("demo_beacon_rules", verbosity=0)

    suggested = beacon_config(client.get("/").content.decode())["suggest"]
    names = dict(DocsArticle.objects.filter(id__in=suggested).values_list("id", "name"))
    assert [names[article_id] for article_id in suggested] == [
        "Reset your password",
        "Request a refund",
        "Update your card",
        "Emails not arriving",
    ]
    call_command("demo_beacon_rules", verbosity=0)  # a second run keeps the same rule
    assert beacon_config(client.get("/").content.decode())["suggest"] == suggested


def test_without_mirrored_docs_no_rule_is_added(helpscout_sandbox, client, capsys):
    call_command("demo_beacon_rules")

    assert "no rule added" in capsys.readouterr().err
    assert beacon_config(client.get("/").content.decode())["suggest"] == []


def settle(sandbox, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    assert sandbox.wait_for_deliveries(timeout), "the sandbox could not deliver its webhooks"
    while WebhookEvent.objects.filter(status="received").exists():
        assert time.monotonic() < deadline, "events left unprocessed"
        time.sleep(0.05)


def test_the_demo_ratings_reach_the_mirror_and_the_admin(
    helpscout_sandbox, live_server, settings, admin_client
):
    settings.HELPSCOUT = {**settings.HELPSCOUT, "WEBHOOK_SECRET": [SECRET]}
    call_command("helpscout_sync", "--full", "--no-progress", verbosity=0)
    call_command("demo_users", "staff", "staff", "customer", "customer", verbosity=0)
    helpscout_sandbox.register_webhook(live_server.url + reverse("helpscout:webhook"), SECRET)
    assert not SatisfactionRating.objects.exists()  # a sync alone brings none

    call_command("demo_ratings", "--sandbox-url", helpscout_sandbox.url, verbosity=0)
    settle(helpscout_sandbox)

    ratings = list(SatisfactionRating.objects.select_related("conversation"))
    assert len(ratings) == 6
    assert {r.rating for r in ratings} == {"great", "okay", "not_good"}
    assert all(r.conversation is not None and not r.conversation.is_placeholder for r in ratings)
    assert all(r.agent_id for r in ratings)  # each rates an agent's reply
    customer = Customer.objects.get(email=demo_customer_email())
    assert sum(r.customer_id == customer.pk for r in ratings) >= 1  # the demo customer's too
    page = admin_client.get(
        reverse("admin:helpscout_integration_satisfactionrating_changelist")
    ).content.decode()
    assert "6 satisfaction ratings" in page
    assert (
        WebhookEvent.objects.filter(event_type="satisfaction.ratings", status="processed").count()
        == 6
    )


def demo_customer_email() -> str:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="customer").email
