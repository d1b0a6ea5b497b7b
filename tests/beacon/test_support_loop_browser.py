"""The whole support loop in two Chromium sessions: end user in Beacon, staff in the admin.

The demo product loads the sandbox's Beacon stand-in; a message sent from Beacon becomes a
sandbox conversation, whose signed `convo.created` webhook reaches the product and is
queued on the demo's database task backend, where a `db_worker` (in a thread here on
PostgreSQL, a process in `make demo`) processes it; staff replies from the admin, and the
reply shows under the end user's Previous messages.
"""

from __future__ import annotations

import threading
import time
from contextlib import nullcontext

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection, connections
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from helpscout_integration.models import Conversation
from tests.browser_support import artifact_path, keep_requests_local

from .rules import rule

SECRET = "loop-beacon-secret"
WEBHOOK_SECRET = "loop-webhook-secret"
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.helpscout_sandbox(
        seed="demo", beacon_secret_key=SECRET, rate_limit_per_minute=None
    ),
]
BEACON = "#hs-beacon-sandbox"


def keep_local(page, errors):
    keep_requests_local(page)
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))


@pytest.fixture
def task_worker(settings):
    """The demo's task setup where the test database allows it: the database backend and
    a `db_worker` polling it in a thread (PostgreSQL). The shared in-memory SQLite test
    database locks whole tables under a concurrent worker, so there the tasks run
    immediately inside the webhook request instead. Yields whether a worker runs."""
    if connection.vendor != "postgresql":
        yield False
        return
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    worker = Worker(
        queue_names=["*"],
        interval=0.1,
        batch=False,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="support-loop-test",
        excluded_queue_names=[],
    )

    def run():
        try:
            worker.run()
        finally:
            connections.close_all()

    thread = threading.Thread(target=run, name="db-worker", daemon=True)
    thread.start()
    yield True
    worker.running = False
    thread.join(timeout=10)
    assert not thread.is_alive(), "the worker did not stop"


def wait_until(predicate, timeout=10.0):
    deadline = time.monotonic() + timeout
    while not (value := predicate()):
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)
    return value


def test_end_user_asks_in_beacon_staff_replies_in_the_admin_end_user_sees_it(
    helpscout_sandbox,
    task_worker,
    live_server,
    browser_page,
    settings,
    one_request_at_a_time_on_sqlite,
):
    sb = helpscout_sandbox
    # On SQLite the server's threads and this one share one connection: read under the
    # same lock the server takes for each request.
    database = one_request_at_a_time_on_sqlite or nullcontext()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.DEBUG = True
    settings.HELPSCOUT = {
        **settings.HELPSCOUT,
        "BEACON_ID": "loop-beacon",
        "WEBHOOK_SECRET": [WEBHOOK_SECRET],
    }
    call_command("helpscout_sync", "--full", "--no-progress")
    call_command("demo_users", "staff", "staff", "customer", "customer")
    customer = get_user_model().objects.get(username="customer")
    sb.register_webhook(f"{live_server.url}/helpscout/webhook/", WEBHOOK_SECRET)
    articles = sorted(
        (a for a in sb.store.docs_articles.values() if a.status == "published"),
        key=lambda a: a.number,
    )
    rule("/", articles[0].id, articles[1].id)

    # End user: sign in, open Beacon, see this page's suggestions, search Docs, ask.
    user_page, errors = browser_page, []
    keep_local(user_page, errors)
    user_page.goto(f"{live_server.url}/accounts/login/")
    user_page.fill("#id_username", "customer")
    user_page.fill("#id_password", "customer")
    user_page.click("button[type=submit]")
    user_page.wait_for_function(
        "window.HelpScoutBeaconSandbox && HelpScoutBeaconSandbox.state().initialized"
    )
    user_page.evaluate("HelpScoutBeaconSandbox.refresh()")
    assert user_page.evaluate("HelpScoutBeaconSandbox.state().identityVerified") is True
    user_page.click(f"{BEACON} .hsbs-button")
    first = f"[data-article-id='{articles[0].id}']:text-is('{articles[0].name}')"
    user_page.wait_for_selector(f"{BEACON} .hsbs-suggestions {first}")
    assert user_page.locator(f"{BEACON} .hsbs-suggestions li").all_inner_texts() == [
        articles[0].name,
        articles[1].name,
    ]
    user_page.fill(f"{BEACON} .hsbs-search input", "refund")
    user_page.click(f"{BEACON} .hsbs-search button")
    user_page.wait_for_selector(f"{BEACON} .hsbs-results [data-article-id]")
    assert any(
        "refund" in name.lower()
        for name in user_page.locator(f"{BEACON} .hsbs-results li").all_inner_texts()
    )
    user_page.screenshot(path=str(artifact_path("loop-1-beacon-search.png")), full_page=True)

    user_page.click(f"{BEACON} .hsbs-tab:text-is('Ask')")
    assert user_page.input_value(f"{BEACON} input[name=email]") == customer.email
    user_page.fill(f"{BEACON} input[name=subject]", "Export to CSV fails")
    user_page.fill(f"{BEACON} textarea[name=text]", "The export button spins forever.")
    user_page.click(f"{BEACON} .hsbs-send")
    user_page.wait_for_selector(f"{BEACON} .hsbs-status:has-text('Message sent')")
    user_page.screenshot(path=str(artifact_path("loop-2-beacon-sent.png")), full_page=True)
    sent = [
        e
        for e in user_page.evaluate("HelpScoutBeaconSandbox.state().events")
        if e["type"] == "message-sent"
    ]
    assert len(sent) == 1
    conversation_id = sent[0]["data"]["conversationId"]
    assert sb.get_conversation(conversation_id)["source"]["type"] == "beacon-v2"

    # Within seconds the webhook, processed by the worker, has put it in the mirror.
    def mirrored_conversation():
        with database:
            found = Conversation.objects.select_related("customer")
            return found.filter(id=conversation_id).first()

    mirrored = wait_until(mirrored_conversation, timeout=10)
    assert mirrored.subject == "Export to CSV fails"
    assert mirrored.customer.email == customer.email
    if task_worker:
        # The worker ran it: its drain task ends once its one-second promise has passed
        # (webhooks/drain.py), so it may still be RUNNING when the row first appears.
        wait_until(lambda: DBTaskResult.objects.filter(status="SUCCESSFUL").exists())

    # Staff: find it in the admin and reply.
    staff_page = browser_page.context.browser.new_context().new_page()
    staff_errors: list[str] = []
    keep_local(staff_page, staff_errors)
    staff_page.goto(
        f"{live_server.url}/admin/login/?next=/admin/helpscout_integration/conversation/"
    )
    staff_page.fill("#id_username", "staff")
    staff_page.fill("#id_password", "staff")
    staff_page.click("input[type=submit]")
    staff_page.click("text=Export to CSV fails")
    staff_page.wait_for_selector(".hs-timeline")
    assert "spins forever" in staff_page.inner_text(".hs-timeline")
    staff_page.fill("#id_reply-text", "Fixed: exports of any size finish now.")
    staff_page.click("#hs-action-reply input[type=submit]")
    staff_page.wait_for_selector("input[name=confirmed]")
    staff_page.click("input[name=confirmed]")
    staff_page.wait_for_selector(".hs-timeline .hs-reply")
    staff_page.screenshot(path=str(artifact_path("loop-3-admin-replied.png")), full_page=True)

    # End user: the reply is under Previous messages.
    user_page.click(f"{BEACON} .hsbs-tab:text-is('Previous messages')")
    item = f"{BEACON} .hsbs-conversation[data-conversation-id='{conversation_id}']"
    user_page.wait_for_selector(f"{item} .hsbs-from-agent:has-text('exports of any size')")
    thread_texts = user_page.locator(f"{item} .hsbs-thread").all_inner_texts()
    assert any("spins forever" in t for t in thread_texts)
    user_page.screenshot(path=str(artifact_path("loop-4-beacon-reply.png")), full_page=True)
    assert errors == [] and staff_errors == []
