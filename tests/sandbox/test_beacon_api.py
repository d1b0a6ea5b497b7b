"""The Beacon stand-in's HTTP side: its script, secure mode, Docs reads and the contact form."""

import hashlib
import hmac

import httpx
import pytest

from helpscout_integration.sandbox import Sandbox

SECRET = "beacon-secret-key"
EMAIL = "casey@example.com"


def sign(email, secret=SECRET):
    return hmac.new(secret.encode(), email.encode(), hashlib.sha256).hexdigest()


@pytest.fixture
def beacon():
    with Sandbox(seed="demo", rate_limit_per_minute=None, beacon_secret_key=SECRET) as sb:
        yield sb


def post(sb, path, body):
    return httpx.post(f"{sb.url}/beacon/api/{path}", json=body)


def test_the_script_and_stylesheet_are_served_cross_origin(beacon):
    script = httpx.get(beacon.beacon_script_url)
    assert script.status_code == 200
    assert script.headers["content-type"].startswith("application/javascript")
    assert "HelpScoutBeaconSandbox" in script.text
    assert script.headers["access-control-allow-origin"] == "*"
    css = httpx.get(f"{beacon.url}/beacon/beacon.css")
    assert css.headers["content-type"].startswith("text/css")
    preflight = httpx.request("OPTIONS", f"{beacon.url}/beacon/api/messages")
    assert preflight.status_code == 204
    assert "Content-Type" in preflight.headers["access-control-allow-headers"]


def test_helpscout_settings_point_beacon_at_the_stand_in_with_its_key(beacon):
    settings = beacon.helpscout_settings()
    assert settings["BEACON_SCRIPT_URL"] == f"{beacon.url}/beacon/"
    assert settings["BEACON_SECRET_KEY"] == SECRET


def test_a_valid_signature_shows_that_customers_previous_messages(beacon):
    beacon.create_conversation(customer_email=EMAIL, subject="Earlier question")
    beacon.create_conversation(customer_email="someone.else@example.com", subject="Not yours")
    answer = post(beacon, "session", {"email": EMAIL, "signature": sign(EMAIL)}).json()
    assert answer["verified"] is True
    assert [c["subject"] for c in answer["conversations"]] == ["Earlier question"]
    assert answer["conversations"][0]["threads"][0]["from"] == "customer"


def test_previous_messages_read_oldest_thread_first(beacon):
    created = beacon.create_conversation(customer_email=EMAIL, subject="Order")
    beacon.add_thread(created["id"], type="reply", text="Second", user_id=min(beacon.store.users))
    beacon.add_thread(created["id"], type="customer", text="Third")
    answer = post(beacon, "session", {"email": EMAIL, "signature": sign(EMAIL)}).json()
    threads = answer["conversations"][0]["threads"]
    assert [(t["from"], t["text"]) for t in threads] == [
        ("customer", "Order"),
        ("agent", "Second"),
        ("customer", "Third"),
    ]


@pytest.mark.parametrize(
    ("signature", "why"),
    [
        (None, "no signature"),
        ("", "no signature"),
        (sign(EMAIL, "wrong-key"), "not the HMAC-SHA256"),
        (sign("other@example.com"), "not the HMAC-SHA256"),
    ],
)
def test_a_missing_or_invalid_signature_hides_history_and_says_why(beacon, signature, why):
    beacon.create_conversation(customer_email=EMAIL, subject="Earlier question")
    answer = post(beacon, "session", {"email": EMAIL, "signature": signature}).json()
    assert answer == {"verified": False, "reason": answer["reason"], "conversations": []}
    assert why in answer["reason"]
    assert SECRET not in answer["reason"] and sign(EMAIL) not in answer["reason"]


def test_without_a_secret_key_nobody_is_verified():
    with Sandbox(rate_limit_per_minute=None) as sb:
        answer = post(sb, "session", {"email": EMAIL, "signature": sign(EMAIL)}).json()
        assert answer["verified"] is False
        assert "no Beacon secret key" in answer["reason"]
        assert "BEACON_SECRET_KEY" not in sb.helpscout_settings()


def test_docs_search_and_article_read_published_articles_without_a_key(beacon):
    found = httpx.get(f"{beacon.url}/beacon/api/search", params={"query": "invite"}).json()
    # The title match first, then the articles that link to it.
    assert [a["name"] for a in found["articles"]][0] == "Invite your team"
    article = httpx.get(f"{beacon.url}/beacon/api/articles/{found['articles'][0]['id']}").json()
    assert article["name"] == "Invite your team" and "<p>" in article["text"]
    hidden = next(a for a in beacon.store.docs_articles.values() if a.status != "published")
    assert httpx.get(f"{beacon.url}/beacon/api/articles/{hidden.id}").status_code == 404
    assert httpx.get(f"{beacon.url}/beacon/api/search").status_code == 400


def test_sending_a_message_creates_a_beacon_conversation_and_its_webhook(beacon, receiver):
    beacon.register_webhook(receiver.url, "whsec", events=["convo.created"])
    answer = post(
        beacon,
        "messages",
        {"name": "Casey Lee", "email": "new.person@example.com", "subject": "Help", "text": "Hi"},
    )
    assert answer.status_code == 201
    conversation = beacon.get_conversation(answer.json()["id"])
    assert conversation["source"] == {"type": "beacon-v2", "via": "customer"}
    assert conversation["primaryCustomer"]["email"] == "new.person@example.com"
    assert conversation["subject"] == "Help"
    assert conversation["_embedded"]["threads"][0]["body"] == "Hi"
    assert beacon.wait_for_deliveries(5)
    assert [r["headers"]["x-helpscout-event"] for r in receiver.requests] == ["convo.created"]


@pytest.mark.parametrize(
    ("body", "why"),
    [
        ({"email": "not-an-email", "text": "Hi"}, "email"),
        ({"email": EMAIL, "text": "  "}, "message is required"),
        ({"email": EMAIL, "text": "x" * 10_001}, "longer than"),
        ({"email": EMAIL, "text": "Hi", "name": "n" * 81}, "name"),
    ],
)
def test_a_bad_message_is_refused_and_creates_nothing(beacon, body, why):
    before = len(beacon.store.conversations)
    answer = post(beacon, "messages", body)
    assert answer.status_code == 400
    assert why in answer.json()["error"]
    assert len(beacon.store.conversations) == before
