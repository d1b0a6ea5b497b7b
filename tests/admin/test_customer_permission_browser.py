"""In Chromium: a staff user without `view_customer` sees conversations, is told why the
customer is missing, and finds the customer's email nowhere on the page."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission

from tests.browser_support import artifact_path

from .test_browser import conversation_in_mirror  # noqa: F401 (a fixture)


@pytest.mark.browser
def test_staff_without_view_customer_reads_conversations_without_the_customer(
    conversation_in_mirror,  # noqa: F811
    live_server,
    browser_page,
    django_user_model,
):
    staff = django_user_model.objects.create_user("bo", "bo@example.com", "pw", is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_conversation"))
    page = browser_page

    page.goto(f"{live_server.url}/admin/login/?next=/admin/helpscout_integration/conversation/")
    page.fill("#id_username", "bo")
    page.fill("#id_password", "pw")
    page.click("input[type=submit]")
    page.wait_for_selector("#hs-customer-hidden")
    page.screenshot(path=str(artifact_path("admin-list-customer-hidden.png")), full_page=True)
    assert "helpscout_integration.view_customer" in page.inner_text("#hs-customer-hidden")
    assert "cleo@example.com" not in page.content()

    page.click("text=Charged twice for March")
    page.wait_for_selector(".hs-timeline")
    page.screenshot(
        path=str(artifact_path("admin-conversation-customer-hidden.png")), full_page=True
    )
    assert "two charges on my card" in page.inner_text(".hs-timeline")
    assert "view_customer" in page.inner_text(".hs-sidebar")
    assert "cleo@example.com" not in page.content()
