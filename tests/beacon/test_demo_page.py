"""The demo product's home page renders Beacon; its config panel shows only in DEBUG."""

import json

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


@pytest.fixture
def customer(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast
    call_command("demo_users", "staff", "staff", "customer", "customer", verbosity=0)


def test_demo_customer_logs_in_and_the_page_identifies_them(client, customer, settings):
    settings.DEBUG = True
    response = client.post(
        "/accounts/login/", {"username": "customer", "password": "customer", "next": "/"}
    )
    assert response.status_code == 302 and response.url == "/"
    page = client.get("/").content.decode()
    assert 'id="helpscout-beacon-config"' in page
    assert 'id="beacon-debug"' in page
    assert '<details class="beacon-debug">' in page  # behind a toggle, the widget first
    assert "Signed in as Casey Lee" in page
    panel = page.split('<pre id="beacon-debug">', 1)[1].split("</pre>", 1)[0]
    assert "customer@example.com" in panel
    assert "signature" in panel
    assert settings.HELPSCOUT["BEACON_SECRET_KEY"] not in page


def test_config_panel_is_hidden_without_debug(client, customer, settings):
    settings.DEBUG = False
    client.login(username="customer", password="customer")
    page = client.get("/").content.decode()
    assert 'id="helpscout-beacon-config"' in page
    assert "beacon-debug" not in page


def test_anonymous_visitor_gets_beacon_without_identity(client, settings):
    settings.DEBUG = True
    page = client.get("/").content.decode()
    config = page.split('type="application/json">', 1)[1].split("</script>", 1)[0]
    assert json.loads(config)["identify"] is None
    assert "Log in</a> as the demo customer" in page


def test_the_demo_loads_the_sandboxs_beacon_stand_in_with_the_products_key(settings):
    from django.conf import settings as django_settings

    from project import demo

    assert (
        django_settings.HELPSCOUT["BEACON_SCRIPT_URL"] == f"{django_settings.SANDBOX_URL}/beacon/"
    )
    # `make demo` starts the sandbox with this key, so the product's signatures verify.
    assert demo.beacon_secret_key() == django_settings.HELPSCOUT["BEACON_SECRET_KEY"]
