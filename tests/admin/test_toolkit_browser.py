"""The agent's toolkit in a real headless Chromium at 1366 px, against the sandbox."""

from __future__ import annotations

import pytest

from helpscout_integration.admin.operations import refresh_conversation
from helpscout_integration.client import HelpScoutClient
from helpscout_integration.sandbox.attachment_files import MALICIOUS, book_for
from helpscout_integration.sandbox.toolkit_seed import png
from helpscout_integration.sync.upsert import upsert_agents
from tests.browser_support import artifact_path

SHOT = png(320, 200, (230, 120, 60))


@pytest.fixture
def toolkit_conversation(transactional_db, helpscout_sandbox, django_user_model):
    sb = helpscout_sandbox
    mailbox = sb.create_mailbox(name="Support", email="support@example.com")
    sb.create_user(first_name="Ada", last_name="Agent", email="ada@example.com")
    made = sb.create_conversation(
        mailbox_id=mailbox["id"],
        customer_email="cleo@example.com",
        subject="The export page is blank",
        threads=[{"type": "customer", "text": "I attached a screenshot of what I see."}],
    )
    thread_id = made["_embedded"]["threads"][0]["id"]
    book = book_for(sb.store)
    sb.files = {
        "shot": book.add(made["id"], thread_id, "blank-export.png", "image/png", SHOT),
        "bad": book.add(made["id"], thread_id, "invoice.pdf.exe", "application/x-msdownload",
                        b"MZ", state=MALICIOUS),
    }  # fmt: skip
    with HelpScoutClient.from_settings() as client:
        upsert_agents(list(client.users.list()))
        refresh_conversation(client, made["id"])
    django_user_model.objects.create_superuser("ada", "ada@example.com", "correct horse")
    return made


def log_in(page, live_server, next_url):
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{live_server.url}/admin/login/?next={next_url}")
    page.fill("#id_username", "ada")
    page.fill("#id_password", "correct horse")
    page.click("input[type=submit]")


@pytest.mark.browser
def test_staff_sees_the_screenshot_and_downloads_it(
    toolkit_conversation, helpscout_sandbox, live_server, browser_page
):
    page, sb = browser_page, helpscout_sandbox
    cid = toolkit_conversation["id"]
    log_in(page, live_server, f"/admin/helpscout_integration/conversation/{cid}/change/")
    page.wait_for_selector(".hs-attachments")
    thumb = page.locator(".hs-attachments img")
    thumb.wait_for()
    page.wait_for_function("document.querySelector('.hs-attachments img').naturalWidth > 0")
    assert thumb.evaluate("img => img.naturalWidth") == 320
    assert page.locator(".hs-attachments img").count() == 1  # not the flagged file
    assert "flagged" in page.inner_text(f"[data-attachment-id='{sb.files['bad'].id}']")
    page.screenshot(path=str(artifact_path("toolkit-attachments-1366.png")), full_page=True)
    # Django 5.2 pulled the object tools 48 px up, over the last action box (6.1 puts
    # them above the content): they never cover it.
    tools = page.locator(".object-tools").bounding_box()
    last_box = page.locator(".hs-actions details").last.bounding_box()
    assert (
        tools["y"] >= last_box["y"] + last_box["height"]
        or tools["y"] + tools["height"] <= last_box["y"]
    ), (tools, last_box)

    with page.expect_download() as caught:
        page.click("a.hs-attachment-name:has-text('blank-export.png')")
    download = caught.value
    assert download.suggested_filename == "blank-export.png"
    with open(download.path(), "rb") as saved:
        assert saved.read() == SHOT

    page.click("a.hs-attachment-name:has-text('invoice.pdf.exe')")
    page.wait_for_selector("#hs-download-anyway")
    assert "did not pass Help Scout" in page.inner_text("#content-main")
    page.screenshot(path=str(artifact_path("toolkit-attachment-warning-1366.png")), full_page=True)


@pytest.mark.browser
def test_staff_snoozes_a_conversation_and_sees_it_in_the_list(
    toolkit_conversation, helpscout_sandbox, live_server, browser_page
):
    import datetime as dt

    from django.utils import timezone

    from helpscout_integration.sandbox.scheduling import book_for as scheduling_book

    page, sb = browser_page, helpscout_sandbox
    cid = toolkit_conversation["id"]
    log_in(page, live_server, f"/admin/helpscout_integration/conversation/{cid}/change/")
    page.click("#hs-action-snooze summary")
    until = timezone.localtime(timezone.now() + dt.timedelta(days=1)).replace(second=0)
    page.fill("#id_snooze-until", until.strftime("%Y-%m-%dT%H:%M"))
    page.click("#hs-action-snooze input[type=submit]")
    page.wait_for_selector("#hs-snooze-summary")
    assert "Snoozed until" in page.inner_text("#hs-snooze-summary")
    assert cid in scheduling_book(sb.store).snoozes
    page.screenshot(path=str(artifact_path("toolkit-snoozed-1366.png")), full_page=True)

    page.goto(f"{live_server.url}/admin/helpscout_integration/conversation/")
    page.wait_for_selector("#result_list .hs-next")
    page.screenshot(path=str(artifact_path("toolkit-conversation-list-1366.png")))
    # The list fits: no sideways scroll at 1366 px.
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366


@pytest.mark.browser
def test_staff_inserts_a_saved_reply(
    toolkit_conversation, helpscout_sandbox, live_server, browser_page
):
    from helpscout_integration.sandbox.toolkit_records import records_for

    page, sb = browser_page, helpscout_sandbox
    records_for(sb.store).add_saved_reply(
        toolkit_conversation["mailboxId"], "Need more details", "Hi,<br />Which browser?"
    )
    cid = toolkit_conversation["id"]
    log_in(page, live_server, f"/admin/helpscout_integration/conversation/{cid}/change/")
    page.fill("#id_reply-text", "Thanks. ")
    page.focus("#hs-saved-select-reply")
    page.wait_for_selector(
        "#hs-saved-select-reply option:has-text('Need more details')", state="attached"
    )
    page.select_option("#hs-saved-select-reply", label="Need more details")
    page.wait_for_function("document.querySelector('#id_reply-text').value.includes('browser')")
    assert page.input_value("#id_reply-text").endswith("Hi,\nWhich browser?")
    page.screenshot(path=str(artifact_path("toolkit-saved-reply-1366.png")))
