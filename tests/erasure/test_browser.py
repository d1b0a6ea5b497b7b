"""A staff member erases a customer from the demo's admin in a real headless Chromium."""

from __future__ import annotations

import pytest

from helpscout_integration.models import CustomerErasure
from tests.browser_support import artifact_path

from .conftest import EMAIL, SURNAME
from .grep import find_everywhere


@pytest.mark.browser
def test_staff_erase_a_customer_from_the_admin(
    transactional_db, person, live_server, browser_page, django_user_model
):
    django_user_model.objects.create_superuser("grace", "staff@example.com", "correct horse")
    page = browser_page
    page.goto(f"{live_server.url}/admin/login/?next=/admin/helpscout_integration/customer/")
    page.fill("#id_username", "grace")
    page.fill("#id_password", "correct horse")
    page.click("input[type=submit]")
    page.check(f"input[name=_selected_action][value='{person.customer_id}']")
    page.select_option("select[name=action]", "erase_customers")
    page.click("button[name=index]")
    page.wait_for_selector("input[name=confirm_erase]")
    assert "This cannot be undone." in page.inner_text("#content-main")
    page.screenshot(path=str(artifact_path("admin-erase-confirm.png")), full_page=True)
    assert not CustomerErasure.objects.exists()  # nothing before confirming

    page.click("input[name=confirm_erase]")
    page.wait_for_selector(".messagelist")
    assert "Deleted at Help Scout" in page.inner_text(".messagelist")
    page.screenshot(path=str(artifact_path("admin-erase-done.png")), full_page=True)
    assert SURNAME not in page.inner_text("#content")  # the changelist without them
    assert CustomerErasure.objects.get(customer_id=person.customer_id).status == "done"
    assert find_everywhere(EMAIL, SURNAME) == []

    page.goto(f"{live_server.url}/admin/helpscout_integration/customererasure/")
    page.screenshot(path=str(artifact_path("admin-erasure-records.png")), full_page=True)
    assert str(person.customer_id) in page.inner_text("#result_list")
