"""`Sandbox.register_app` / `call_app`: the sandbox calls an app as Help Scout's App platform.

The sandbox's signer is checked against JSON written out by hand (PHP `json_encode`
defaults) and the standard library's HMAC; then a full round trip: a conversation in the
sandbox, mirrored by the sync command, shown by the product's App platform views.
"""

import base64
import hashlib
import hmac
import io
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from helpscout_integration.sandbox import Sandbox
from helpscout_integration.sandbox.apps import php_json, sign

SECRET = "sandbox-app-key"


@pytest.mark.parametrize(
    ("pairs", "expected"),
    [
        ([("conversation-id", "1"), ("b", "a/b")], '{"conversation-id":"1","b":"a\\/b"}'),
        ([("n", "Zo\u00eb \U0001f600")], '{"n":"Zo\\u00eb \\ud83d\\ude00"}'),
        ([("q", '"\\\t\x01\x7f')], '{"q":"\\"\\\\\\t\\u0001\x7f"}'),
        ([], "[]"),
        ([("0", "x/y")], '["x\\/y"]'),
    ],
)
def test_the_sandbox_signs_phps_json_encoding(pairs, expected):
    assert php_json(pairs) == expected
    digest = hmac.new(SECRET.encode(), expected.encode(), hashlib.sha1).digest()
    assert sign(pairs, SECRET) == base64.b64encode(digest).decode()


def test_app_url_carries_the_context_then_the_signature():
    sandbox = Sandbox()
    app_id = sandbox.register_app("https://product.example/hs/app/content/?tenant=acme", SECRET)
    agent = sandbox.create_user()
    conversation = sandbox.create_conversation(
        customer_email="ada@example.com", assignee_id=agent["id"]
    )

    url = sandbox.app_url("https://product.example/hs/app/content/?tenant=acme", conversation["id"])

    params = parse_qsl(urlsplit(url).query, keep_blank_values=True)
    names = [k for k, _ in params]
    assert names == [
        "tenant",
        "conversation-id",
        "conversation-number",
        "customer-id",
        "mailbox-id",
        "user-id",
        "application-id",
        "application-slug",
        "X-HelpScout-Signature",
    ]
    values = dict(params)
    assert values["conversation-id"] == str(conversation["id"])
    assert values["customer-id"] == str(conversation["primaryCustomer"]["id"])
    assert values["user-id"] == str(agent["id"])
    assert values["application-id"] == str(app_id)
    signed = params[1:-1]  # the app's own "tenant" is not signed
    assert values["X-HelpScout-Signature"] == sign(signed, SECRET)


def test_a_side_panel_url_on_the_apps_origin_is_signed_with_its_key():
    sandbox = Sandbox()
    sandbox.register_app("https://product.example/hs/app/content/", SECRET)
    conversation = sandbox.create_conversation()
    url = sandbox.app_url("https://product.example/hs/app/panel/", conversation["id"])
    assert url.startswith("https://product.example/hs/app/panel/?conversation-id=")
    with pytest.raises(ValueError):
        sandbox.app_url("https://elsewhere.example/x", conversation["id"])


def test_register_app_refuses_a_missing_secret_or_a_bad_url():
    sandbox = Sandbox()
    with pytest.raises(ValueError):
        sandbox.register_app("https://product.example/", "")
    with pytest.raises(ValueError):
        sandbox.register_app("not a url", SECRET)


@pytest.mark.django_db
def test_call_app_round_trip_through_the_product(helpscout_sandbox, settings, client):
    settings.HELPSCOUT = {**settings.HELPSCOUT, "APP_PLATFORM_SECRET": SECRET}
    ada = get_user_model().objects.create_user("ada", "ada@example.com", first_name="Ada")
    conversation = helpscout_sandbox.create_conversation(
        customer_email="Ada@Example.com", subject="Where is my invoice?"
    )
    call_command("helpscout_sync", "--full", stdout=io.StringIO())
    content = "http://testserver/helpscout/app/content/"
    helpscout_sandbox.register_app(content, SECRET)

    response = helpscout_sandbox.call_app(content, conversation["id"], http=client)
    assert response.status_code == 200
    assert f"Product account #{ada.pk}" in response.content.decode()

    panel = helpscout_sandbox.call_app(
        "http://testserver/helpscout/app/panel/", conversation["id"], http=client
    )
    assert panel.status_code == 200
    assert "Where is my invoice?" in panel.content.decode()


@pytest.mark.django_db
def test_call_app_with_another_key_is_refused(helpscout_sandbox, settings, client):
    settings.HELPSCOUT = {**settings.HELPSCOUT, "APP_PLATFORM_SECRET": SECRET}
    conversation = helpscout_sandbox.create_conversation()
    content = "http://testserver/helpscout/app/content/"
    helpscout_sandbox.register_app(content, "not-the-products-key")
    assert helpscout_sandbox.call_app(content, conversation["id"], http=client).status_code == 401


def test_call_app_sends_a_plain_get_over_http():
    import threading
    from http.server import BaseHTTPRequestHandler, HTTPServer

    seen = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's name)
            seen.append((self.command, self.path))
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(b"<p>hi</p>")

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.handle_request, daemon=True)
    thread.start()
    try:
        sandbox = Sandbox()
        url = f"http://127.0.0.1:{server.server_address[1]}/app/"
        sandbox.register_app(url, SECRET)
        conversation = sandbox.create_conversation()
        response = sandbox.call_app(url, conversation["id"])
    finally:
        thread.join(timeout=5)
        server.server_close()
    assert response.status_code == 200 and response.text == "<p>hi</p>"
    method, path = seen[0]
    assert method == "GET" and path.startswith("/app/?conversation-id=")
    assert "X-HelpScout-Signature=" in path
