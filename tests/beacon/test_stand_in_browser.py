"""The sandbox's Beacon stand-in driven by the demo page in headless Chromium.

The page loads the stand-in through `BEACON_SCRIPT_URL` (the `helpscout_sandbox`
fixture points it at the sandbox), exactly as it would load Help Scout's Beacon; the
tests read `window.HelpScoutBeaconSandbox.state()` and the widget itself. No request
leaves 127.0.0.1.
"""

from __future__ import annotations

import hashlib
import hmac

import pytest
from django.contrib.auth import get_user_model

from tests.browser_support import artifact_path, keep_requests_local

from .rules import rule

SECRET = "stand-in-beacon-secret"
BEACON_ID = "beacon-stand-in-test"
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.helpscout_sandbox(
        seed="demo", beacon_secret_key=SECRET, rate_limit_per_minute=None
    ),
]


@pytest.fixture
def stand_in(helpscout_sandbox, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.DEBUG = True
    settings.HELPSCOUT = {**settings.HELPSCOUT, "BEACON_ID": BEACON_ID}
    assert settings.HELPSCOUT["BEACON_SCRIPT_URL"] == helpscout_sandbox.beacon_script_url
    return helpscout_sandbox


def published_articles(sb, count):
    articles = sorted(
        (a for a in sb.store.docs_articles.values() if a.status == "published"),
        key=lambda a: a.number,
    )
    return articles[:count]


def make_customer(first="Casey", last="Lee", email="casey@example.com"):
    return get_user_model().objects.create_user(
        "customer", email, "customer", first_name=first, last_name=last
    )


class Console:
    """Console messages and page errors of one page, with every request kept local."""

    def __init__(self, page):
        self.messages: list[tuple[str, str]] = []
        page.on("console", lambda m: self.messages.append((m.type, m.text)))
        page.on("pageerror", lambda exc: self.messages.append(("pageerror", str(exc))))
        keep_requests_local(page)

    def of(self, *types):
        return [text for kind, text in self.messages if kind in types]


def log_in(page, base_url, username="customer", password="customer"):
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/")


def state(page):
    return page.evaluate("window.HelpScoutBeaconSandbox.state()")


def wait_for_beacon(page, verified=None):
    page.wait_for_function(
        "window.HelpScoutBeaconSandbox && HelpScoutBeaconSandbox.state().initialized"
    )
    # The secure-mode answer arrives asynchronously; wait until it has.
    page.evaluate("HelpScoutBeaconSandbox.refresh()")
    if verified is not None:
        assert state(page)["identityVerified"] is verified


def open_tab(page, name):
    page.click(f"#hs-beacon-sandbox .hsbs-tab:text-is('{name}')")


def test_signed_in_customer_is_verified_and_sees_page_suggestions(
    stand_in, live_server, browser_page
):
    sb, page = stand_in, browser_page
    first, second = published_articles(sb, 2)
    rule("/", first.id, second.id)
    rule("/pricing/*", published_articles(sb, 3)[2].id)
    make_customer()
    console = Console(page)

    log_in(page, live_server.url)
    wait_for_beacon(page, verified=True)
    seen = state(page)
    signature = hmac.new(SECRET.encode(), b"casey@example.com", hashlib.sha256).hexdigest()
    assert seen["beaconId"] == BEACON_ID
    assert seen["identity"] == {
        "email": "casey@example.com",
        "name": "Casey Lee",
        "signature": signature,
    }
    assert seen["prefill"]["subject"] == "Question from the demo product"
    assert seen["suggestions"] == [first.id, second.id]  # the "/" rule, not "/pricing/*"
    # The loader's queue, replayed in order once the stand-in arrived.
    assert [c["method"] for c in seen["calls"]] == ["init", "identify", "prefill", "suggest"]
    assert seen["events"][0]["type"] == "ready"
    assert seen["open"] is False

    page.click("#hs-beacon-sandbox .hsbs-button")
    page.wait_for_selector(
        f"#hs-beacon-sandbox [data-article-id='{first.id}']:text-is('{first.name}')"
    )
    assert state(page)["open"] is True
    suggested = page.locator("#hs-beacon-sandbox .hsbs-suggestions li").all_inner_texts()
    assert suggested == [first.name, second.name]
    page.screenshot(path=str(artifact_path("beacon-stand-in-answers.png")), full_page=True)
    open_tab(page, "Ask")
    assert page.input_value("#hs-beacon-sandbox input[name=name]") == "Casey Lee"
    assert page.input_value("#hs-beacon-sandbox input[name=email]") == "casey@example.com"
    assert page.input_value("#hs-beacon-sandbox input[name=subject]") == (
        "Question from the demo product"
    )
    assert SECRET not in page.content()
    assert console.of("error", "pageerror", "warning") == []


def test_every_api_call_changes_state_and_emits_its_events(stand_in, live_server, browser_page):
    sb, page = stand_in, browser_page
    article = published_articles(sb, 1)[0]
    console = Console(page)
    page.goto(f"{live_server.url}/")
    wait_for_beacon(page)
    page.evaluate(
        """() => {
        window.__heard = [];
        const note = (name) => (data) => window.__heard.push([name, data || null]);
        window.__openListener = note("open");
        Beacon("on", "open", window.__openListener);
        Beacon("once", "close", note("close-once"));
        Beacon("on", "search", note("search"));
        Beacon("on", "article-viewed", note("article-viewed"));
        Beacon("open");
        Beacon("close");
        Beacon("toggle");
        Beacon("off", "open", window.__openListener);
        Beacon("toggle");
        Beacon("toggle");
        Beacon("close");
    }"""
    )
    # open, close (once), toggle -> open; after `off` no further "open" is heard.
    assert page.evaluate("window.__heard") == [
        ["open", None],
        ["close-once", None],
        ["open", None],
    ]
    assert state(page)["open"] is False

    page.evaluate("Beacon('navigate', '/ask/message/')")
    assert state(page)["route"] == "/ask/message/"
    page.evaluate("Beacon('search', 'invite')")
    assert state(page)["open"] is True
    page.wait_for_selector("#hs-beacon-sandbox .hsbs-results [data-article-id]")
    assert page.locator("#hs-beacon-sandbox .hsbs-results li").all_inner_texts()[0] == (
        "Invite your team"
    )
    assert state(page)["route"] == "/docs/search"

    page.evaluate(f"Beacon('article', '{article.id}', {{type: 'sidebar'}})")
    page.wait_for_function("window.__heard.some(e => e[0] === 'article-viewed')")
    assert page.inner_text("#hs-beacon-sandbox .hsbs-article-title") == article.name
    shown = page.inner_text("#hs-beacon-sandbox .hsbs-article-text")
    assert "<h2>" not in shown
    # Blocks stay apart: the section heading on its own line, each list item a bullet.
    assert "\nRelated articles\n" in shown and "\n• " in shown
    assert state(page)["route"] == f"/docs/article/{article.id}"

    page.evaluate(
        """() => {
        Beacon("config", {docsEnabled: false, color: "#aa3300"});
        Beacon("session-data", {plan: "Pro", seats: "4"});
        Beacon("prefill", {name: "Pat", email: "pat@example.com", subject: "Seats"});
        Beacon("suggest", [ARTICLE, {text: "Status page", url: "https://status.example.com/"}]);
        Beacon("navigate", "/answers/");
    }""".replace("ARTICLE", repr(article.id))
    )
    seen = state(page)
    assert seen["config"] == {"docsEnabled": False, "color": "#aa3300"}
    assert seen["sessionData"] == {"plan": "Pro", "seats": "4"}
    assert seen["suggestions"] == [
        article.id,
        {"text": "Status page", "url": "https://status.example.com/"},
    ]
    # Docs off: Answers is hidden and the contact form takes its place.
    assert page.is_hidden("#hs-beacon-sandbox .hsbs-answers")
    assert page.input_value("#hs-beacon-sandbox input[name=subject]") == "Seats"
    info = page.evaluate("Beacon('info')")
    assert info["beaconId"] == BEACON_ID and info["status"]["isOpened"] is True

    page.evaluate("Beacon('reset')")
    assert state(page)["prefill"] == {}
    assert page.input_value("#hs-beacon-sandbox input[name=subject]") == ""
    page.evaluate("Beacon('identify', {name: 'Pat', email: 'pat@example.com'})")
    assert state(page)["identity"] == {"name": "Pat", "email": "pat@example.com"}
    page.evaluate("Beacon('logout', {endActiveChat: true})")
    assert state(page)["identity"] is None

    page.evaluate("Beacon('destroy')")
    assert state(page)["initialized"] is False
    assert page.locator("#hs-beacon-sandbox").count() == 0
    page.evaluate("Beacon('open')")  # before init: ignored, with a console warning
    assert state(page)["open"] is False
    page.evaluate(f"Beacon('init', '{BEACON_ID}')")
    page.wait_for_function(
        "HelpScoutBeaconSandbox.state().events.filter(e => e.type === 'ready').length === 2"
    )
    assert page.locator("#hs-beacon-sandbox").count() == 1

    types = [e["type"] for e in state(page)["events"]]
    assert types.count("search") == 1 and "article-viewed" in types
    assert page.evaluate("window.__heard.filter(e => e[0] === 'search')") == [
        ["search", {"query": "invite"}]
    ]
    warnings = console.of("warning")
    assert any("open called before init" in w for w in warnings)
    assert console.of("error", "pageerror") == []


def test_an_invalid_signature_is_unverified_history_hidden_console_says_why(
    stand_in, live_server, browser_page, settings
):
    sb, page = stand_in, browser_page
    settings.HELPSCOUT = {**settings.HELPSCOUT, "BEACON_SECRET_KEY": "not-the-beacons-key"}
    sb.create_conversation(customer_email="casey@example.com", subject="My earlier question")
    make_customer()
    console = Console(page)

    log_in(page, live_server.url)
    wait_for_beacon(page, verified=False)
    assert "not the HMAC-SHA256" in state(page)["verificationReason"]
    page.click("#hs-beacon-sandbox .hsbs-button")
    open_tab(page, "Previous messages")
    previous = page.inner_text("#hs-beacon-sandbox .hsbs-previous")
    assert "verified visitors only" in previous
    assert "My earlier question" not in previous
    page.screenshot(path=str(artifact_path("beacon-stand-in-unverified.png")), full_page=True)
    warnings = console.of("warning")
    assert any("visitor not verified" in w and "HMAC-SHA256" in w for w in warnings)
    assert not any(SECRET in w or "not-the-beacons-key" in w for w in warnings)


def test_an_anonymous_visitor_gets_an_empty_form_and_no_history(
    stand_in, live_server, browser_page
):
    page = browser_page
    console = Console(page)
    page.goto(f"{live_server.url}/")
    wait_for_beacon(page, verified=False)
    seen = state(page)
    assert seen["identity"] is None
    assert [c["method"] for c in seen["calls"]] == ["init", "prefill"]
    page.evaluate("Beacon('navigate', '/ask/message/'); Beacon('open')")
    assert page.input_value("#hs-beacon-sandbox input[name=email]") == ""
    open_tab(page, "Previous messages")
    assert "verified visitors only" in page.inner_text("#hs-beacon-sandbox .hsbs-previous")
    assert console.of("error", "pageerror") == []


def test_hostile_names_and_emails_render_as_text(stand_in, live_server, browser_page):
    sb, page = stand_in, browser_page
    name = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">\u2028"\''
    email = 'o\'hara+"q"@example.com'
    make_customer(first=name, last="", email=email)
    sb.create_conversation(
        customer_email=email,
        subject='<img src=x onerror="window.__pwned=3">',
        threads=[{"type": "customer", "text": "<b>bold</b><script>window.__pwned=4</script>"}],
    )
    console = Console(page)

    log_in(page, live_server.url)
    wait_for_beacon(page, verified=True)
    page.evaluate("Beacon('navigate', '/ask/message/'); Beacon('open')")
    assert page.input_value("#hs-beacon-sandbox input[name=name]") == name[:80]
    assert page.input_value("#hs-beacon-sandbox input[name=email]") == email
    open_tab(page, "Previous messages")
    previous = page.inner_text("#hs-beacon-sandbox .hsbs-previous")
    assert '<img src=x onerror="window.__pwned=3">' in previous
    assert email in previous
    page.wait_for_timeout(200)  # give any injected handler its chance to run
    assert page.evaluate("window.__pwned") is None
    assert (
        page.locator(
            "#hs-beacon-sandbox img, #hs-beacon-sandbox script, #hs-beacon-sandbox b"
        ).count()
        == 0
    )
    assert console.of("pageerror") == []


def test_a_client_side_route_change_calls_suggest_again(stand_in, live_server, browser_page):
    sb, page = stand_in, browser_page
    home, pricing = published_articles(sb, 2)
    rule("/", home.id)
    page.goto(f"{live_server.url}/")
    wait_for_beacon(page)
    assert state(page)["suggestions"] == [home.id]

    # What a single-page app does on navigation: new URL, then new suggestions.
    page.evaluate(f"history.pushState({{}}, '', '/pricing/'); Beacon('suggest', ['{pricing.id}'])")
    page.evaluate("Beacon('open')")
    suggestion = f"[data-article-id='{pricing.id}']:text-is('{pricing.name}')"
    page.wait_for_selector(f"#hs-beacon-sandbox .hsbs-suggestions {suggestion}")
    seen = state(page)
    assert seen["suggestions"] == [pricing.id]
    assert seen["calls"][-2] == {"method": "suggest", "path": "/pricing/"}
    assert page.locator("#hs-beacon-sandbox .hsbs-suggestions li").all_inner_texts() == [
        pricing.name
    ]


def test_a_strict_csp_built_with_the_helper_runs_the_stand_in_without_violations(
    stand_in, live_server, browser_page, settings
):
    sb, page = stand_in, browser_page
    settings.ROOT_URLCONF = "tests.beacon.csp_urls"
    article = published_articles(sb, 1)[0]
    rule("/csp-helper/", article.id)
    console = Console(page)
    page.add_init_script(
        "window.__violations = [];"
        "document.addEventListener('securitypolicyviolation',"
        " e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));"
    )
    response = page.goto(f"{live_server.url}/csp-helper/")
    policy = response.headers["content-security-policy"]
    assert sb.url in policy and "helpscout.net" not in policy
    page.wait_for_selector("#hs-beacon-sandbox .hsbs-button")  # no eval under this CSP
    page.click("#hs-beacon-sandbox .hsbs-button")
    page.wait_for_selector(
        f"#hs-beacon-sandbox [data-article-id='{article.id}']:text-is('{article.name}')"
    )
    # The stylesheet from the sandbox applied: the panel is positioned by it.
    assert (
        page.eval_on_selector("#hs-beacon-sandbox", "e => getComputedStyle(e).position") == "fixed"
    )
    assert page.evaluate("window.__violations") == []
    assert console.of("error", "pageerror") == []
