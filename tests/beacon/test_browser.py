"""The demo page in a real headless Chromium: what Beacon is told, XSS and CSP safety.

A stub `window.Beacon` installed before any page script records every call, so the tests
see exactly what Help Scout's Beacon would receive. No request leaves 127.0.0.1: Beacon's
host is answered by a fake script and anything else external is aborted.
"""

from __future__ import annotations

import hashlib
import hmac
import time

import pytest
from django.contrib.auth import get_user_model

from tests.browser_support import LOCAL_URL, artifact_path

from .rules import rule

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BEACON_ID = "beacon-browser-test"
SECRET = "browser-test-secret"
HOSTILE = '</script><script>window.__pwned = 1</script><img src=x onerror="window.__pwned=2">'

RECORDER = """
window.__beaconCalls = [];
window.Beacon = function (method, options, data) {
  window.__beaconCalls.push([method, options === undefined ? null : options]);
};
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push(e.violatedDirective + " " + e.blockedURI);
});
"""
OFFLINE = "Object.defineProperty(Navigator.prototype, 'onLine', {get: () => false});"
FAKE_BEACON_SCRIPT = "window.__beaconScriptRan = document.currentScript.src;"
OTHER_BEACON_SCRIPT = "https://beacon.example.test/stand-in.js"


@pytest.fixture
def beacon_on(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.DEBUG = True
    settings.HELPSCOUT = {"BEACON_ID": BEACON_ID, "BEACON_SECRET_KEY": SECRET}


def make_customer(first="Casey", last="Lee", email="customer@example.com"):
    return get_user_model().objects.create_user(
        "customer", email, "customer", first_name=first, last_name=last
    )


def guard_network(page, errors):
    """Keep every request on 127.0.0.1; record console errors and uncaught exceptions."""

    def route(route):
        url = route.request.url
        if "beacon-v2.helpscout.net" in url or url.startswith(OTHER_BEACON_SCRIPT):
            route.fulfill(
                status=200, content_type="application/javascript", body=FAKE_BEACON_SCRIPT
            )
        elif LOCAL_URL.match(url):
            route.continue_()
        else:
            route.abort()

    page.route("**/*", route)
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))


def log_in(page, base_url):
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", "customer")
    page.fill("#id_password", "customer")
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/")


def wait_until(page, expression, timeout=10.0):
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"timed out waiting for {expression}"
        page.wait_for_timeout(25)


def calls(page):
    page.wait_for_function("window.__beaconCalls && window.__beaconCalls.length > 0")
    return page.evaluate("window.__beaconCalls")


def test_signed_in_customer_beacon_gets_init_identify_prefill_and_suggest(
    beacon_on, live_server, browser_page
):
    make_customer()
    rule("/*", "5f0c8a1e2b3d4c5e6f708192", "5f0c8a1e2b3d4c5e6f708193")
    page, errors = browser_page, []
    guard_network(page, errors)
    page.add_init_script(RECORDER)

    log_in(page, live_server.url)
    recorded = calls(page)
    page.screenshot(path=str(artifact_path("beacon-demo-home.png")), full_page=True)

    signature = hmac.new(SECRET.encode(), b"customer@example.com", hashlib.sha256).hexdigest()
    assert recorded == [
        ["init", BEACON_ID],
        [
            "identify",
            {"email": "customer@example.com", "name": "Casey Lee", "signature": signature},
        ],
        [
            "prefill",
            {
                "name": "Casey Lee",
                "email": "customer@example.com",
                "subject": "Question from the demo product",
            },
        ],
        ["suggest", ["5f0c8a1e2b3d4c5e6f708192", "5f0c8a1e2b3d4c5e6f708193"]],
    ]
    assert SECRET not in page.content()
    assert "customer@example.com" in page.text_content("#beacon-debug")  # inside <details>
    assert errors == []


def test_hostile_name_is_passed_as_data_and_never_executes(beacon_on, live_server, browser_page):
    make_customer(first=HOSTILE, last="", email='o\'hara+"quoted"@example.com')
    page, errors = browser_page, []
    guard_network(page, errors)
    page.add_init_script(RECORDER)

    log_in(page, live_server.url)
    identify = dict(calls(page))["identify"]
    assert identify["name"] == HOSTILE[:80]
    assert identify["email"] == 'o\'hara+"quoted"@example.com'
    page.wait_for_timeout(200)  # give an injected onerror handler its chance to run
    assert page.evaluate("window.__pwned") is None
    assert page.locator("img[src=x]").count() == 0
    assert not [e for e in errors if "pageerror" in e]


def test_strict_csp_with_nonce_loads_the_loader_and_beacon_without_violations(
    beacon_on, live_server, browser_page, settings
):
    settings.ROOT_URLCONF = "tests.beacon.csp_urls"
    page, errors = browser_page, []
    guard_network(page, errors)
    # No stub this time: the loader installs its own queue and loads Beacon's script,
    # which must carry the same nonce to be allowed.
    page.add_init_script(RECORDER.replace("window.Beacon = function", "window.__unused = function"))

    response = page.goto(f"{live_server.url}/csp/")
    assert "'nonce-" in response.headers["content-security-policy"]
    # Poll from Python: wait_for_function evaluates through eval(), which this CSP forbids.
    wait_until(page, "!!window.__beaconScriptRan")
    queue = page.evaluate("window.Beacon.readyQueue.map(function (c) { return c.method; })")
    assert queue[:1] == ["init"]
    page.screenshot(path=str(artifact_path("beacon-strict-csp.png")), full_page=True)
    assert page.evaluate("window.__cspViolations") == []
    assert errors == []


def test_offline_the_loader_queues_calls_and_stays_quiet(beacon_on, live_server, browser_page):
    page, errors = browser_page, []
    requested = []
    guard_network(page, errors)
    page.on("request", lambda r: requested.append(r.url))
    page.add_init_script(OFFLINE)

    page.goto(f"{live_server.url}/")
    page.wait_for_load_state("load")
    page.wait_for_function("typeof window.Beacon === 'function'")
    assert page.evaluate("window.Beacon.readyQueue[0].method") == "init"
    assert not [url for url in requested if "helpscout.net" in url]
    assert errors == []


def test_the_loader_loads_the_configured_beacon_script_url(
    beacon_on, live_server, browser_page, settings
):
    settings.HELPSCOUT = {"BEACON_ID": BEACON_ID, "BEACON_SCRIPT_URL": OTHER_BEACON_SCRIPT}
    page, errors = browser_page, []
    guard_network(page, errors)
    page.goto(f"{live_server.url}/")
    wait_until(page, "!!window.__beaconScriptRan")
    assert page.evaluate("window.__beaconScriptRan") == OTHER_BEACON_SCRIPT
    assert errors == []
