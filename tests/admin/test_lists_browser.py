"""The list pages fit a 1366 px screen (the admin's navigation open): every column in view
without sideways scrolling, and people's names, emails and tags readable, not cut to a
few characters. Screenshots go to test-artifacts/ to be looked at."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from helpscout_integration.models import (
    Agent,
    AgentStatus,
    Conversation,
    Customer,
    Mailbox,
    SatisfactionRating,
    Tag,
    WebhookEvent,
)
from tests.browser_support import artifact_path

LONG_TAGS = ("billing", "refund-requested", "vip", "enterprise-plan")


@pytest.fixture
def busy_lists(transactional_db, django_user_model):
    now = timezone.now()
    mailbox = Mailbox.objects.create(id=1, name="Customer Support", email="support@example.com")
    agent = Agent.objects.create(
        id=7, first_name="Alexandra", last_name="Papadopoulou", email="alexandra@example.com"
    )
    AgentStatus.objects.create(user_id=7, email_status="away")
    tags = [Tag.objects.create(id=n + 1, name=name, slug=name) for n, name in enumerate(LONG_TAGS)]
    for n in range(30):
        customer = Customer.objects.create(
            id=100 + n, first_name="Maximilian", last_name=f"Oberhausen-Whitfield {n}",
            email=f"maximilian.oberhausen{n}@enterprise-customer.example.com",
        )  # fmt: skip
        conversation = Conversation.objects.create(
            id=1000 + n, number=4000 + n, mailbox=mailbox, customer=customer, assignee=agent,
            status="active", subject="The quarterly invoice shows a duplicate charge for the "
            "premium seats we removed last month",
            created_at=now - dt.timedelta(hours=n), updated_at=now - dt.timedelta(hours=n),
            data={"snooze": {"snoozedUntil": (now + dt.timedelta(days=2)).isoformat(),
                             "unsnoozeOnCustomerReply": True}} if n % 3 == 0 else {},
        )  # fmt: skip
        conversation.tags.set(tags[: 1 + n % len(tags)])
        SatisfactionRating.objects.create(
            id=500 + n, conversation=conversation, agent=agent, customer=customer,
            rating="not_good", comments="The agent was helpful but the fix took three days "
            "and I had to write twice", created_at=now,
        )  # fmt: skip
        WebhookEvent.objects.create(
            event_type="convo.customer.reply.created", body=b"{}", body_sha256=f"{n:064d}",
            resource_id=1000 + n, signature_valid=True, status="processed",
            processed_at=now,
        )  # fmt: skip
    django_user_model.objects.create_superuser("ada", "ada@example.com", "correct horse")


def fits(page) -> dict:
    return page.evaluate(
        """() => {
          const results = document.querySelector('#changelist .results');
          const cut = [...document.querySelectorAll('#result_list td')]
            .filter(td => td.scrollWidth > td.clientWidth + 1)
            .map(td => td.className);
          return {
            sideways: results.scrollWidth - results.clientWidth,
            page: document.documentElement.scrollWidth,
            cut: [...new Set(cut)],
          };
        }"""
    )


@pytest.mark.browser
@pytest.mark.parametrize("model", ["conversation", "webhookevent", "satisfactionrating"])
def test_list_fits_1366(busy_lists, live_server, browser_page, model):
    page = browser_page
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{live_server.url}/admin/login/?next=/admin/helpscout_integration/{model}/")
    page.fill("#id_username", "ada")
    page.fill("#id_password", "correct horse")
    page.click("input[type=submit]")
    page.wait_for_selector("#result_list")
    page.screenshot(path=str(artifact_path(f"list-{model}-1366.png")))
    page.locator("#result_list tbody tr").nth(3).scroll_into_view_if_needed()
    page.screenshot(path=str(artifact_path(f"list-{model}-rows-1366.png")))
    measured = fits(page)
    assert measured["sideways"] <= 0, measured
    assert measured["page"] <= 1366, measured
    assert measured["cut"] == [], measured
