"""`app/content/` and `app/panel/`: Help Scout's App platform, answered from the mirror.

Requests are signed here independently of the app: the signed JSON is built by hand
(digits only, so no escaping is involved) and HMAC'd with the standard library.
"""

import base64
import hashlib
import hmac
from urllib.parse import quote

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from helpscout_integration.models import Conversation, Customer

SECRET = "platform-secret-1"
P = "tests.dynamic_app.producers."


def sign(pairs, secret=SECRET):
    data = "{" + ",".join(f'"{k}":"{v}"' for k, v in pairs) + "}"
    digest = hmac.new(secret.encode(), data.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def context(conversation=10, customer=5):
    return [
        ("conversation-id", str(conversation)),
        ("conversation-number", "4321"),
        ("customer-id", str(customer)),
        ("mailbox-id", "3"),
        ("user-id", "1"),
    ]


@pytest.fixture
def configured(settings):
    settings.HELPSCOUT = {
        "APP_PLATFORM_SECRET": SECRET,
        "CUSTOMER_PROPERTIES": P + "plan_with_markup",
        "DYNAMIC_APP_CONTEXT": P + "platform_context",
    }


@pytest.fixture
def get(client):
    def send(pairs, name="helpscout:app-content", signature=None, own=()):
        signature = sign(pairs) if signature is None else signature
        items = [*own, *pairs, ("X-HelpScout-Signature", signature)]
        query = "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in items)
        return client.get(f"{reverse(name)}?{query}")

    return send


@pytest.fixture
def mirror(db):
    ada = Customer.objects.create(
        id=5, first_name="Ada", email="ada@example.com", emails=["other@example.com"]
    )
    Conversation.objects.create(id=10, number=4321, subject="Billing", customer=ada)
    Conversation.objects.create(id=11, number=4000, subject="Older <b>one</b>", customer=ada)
    return ada


@pytest.fixture
def ada(db):
    return get_user_model().objects.create_user(
        "ada", "Ada@Example.com", first_name="Ada", last_name="<i>Lovelace</i>"
    )


@pytest.mark.django_db
def test_content_callback_answers_a_framable_html_page(configured, get, mirror, ada):
    response = get(context())

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert html.lstrip().startswith("<!doctype html>")
    assert f"Product account #{ada.pk}" in html
    assert "<strong>Plan:</strong> Pro" in html
    assert "&lt;i&gt;Lovelace&lt;/i&gt;" in html and "<i>" not in html
    assert "X-Frame-Options" not in response  # Help Scout frames it
    assert response["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_the_same_context_callable_serves_both_apps(configured, get, mirror, ada):
    content = get(context())
    assert content.context["open_invoices"] == 2
    assert content.context["invoice_note"] == "app-content, ticket 4321, Billing"

    panel = get(context(), name="helpscout:app-panel")
    assert panel.context["invoice_note"] == "app-panel, ticket 4321, Billing"


@pytest.mark.django_db
def test_the_content_page_links_the_side_panel(configured, get, mirror, ada):
    html = get(context()).content.decode()
    panel_url = "http://testserver" + reverse("helpscout:app-panel")
    assert f'href="{panel_url}" data-helpscout-side-panel hidden' in html
    assert "app_platform.js" in html


@pytest.mark.django_db
def test_the_side_panel_lists_the_customers_conversations(configured, get, mirror, ada):
    response = get(context(), name="helpscout:app-panel")

    assert response.status_code == 200
    html = response.content.decode()
    assert "#4321 Billing" in html
    assert "#4000 Older &lt;b&gt;one&lt;/b&gt;" in html
    assert "X-Frame-Options" not in response


@pytest.mark.django_db
def test_a_customer_unknown_to_the_product_gets_no_account(configured, get, mirror):
    html = get(context()).content.decode()
    assert "No account" in html and "ada@example.com" in html
    assert "data-helpscout-side-panel" not in html


@pytest.mark.django_db
def test_a_customer_not_mirrored_yet_gets_no_account(configured, get, db):
    response = get(context(customer=999))
    assert response.status_code == 200
    assert "No account" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["helpscout:app-content", "helpscout:app-panel"])
@pytest.mark.parametrize(
    "signature",
    [
        "",  # empty
        "bm90IGEgc2lnbmF0dXJl",  # base64, wrong length
        "not base64!",
        sign(context(), secret="another-secret"),
        sign(list(reversed(context()))),  # the same values signed in another order
    ],
)
def test_wrong_signatures_get_401_and_nothing_rendered(
    configured, get, mirror, ada, name, signature
):
    response = get(context(), name=name, signature=signature)

    assert response.status_code == 401
    assert b"ada" not in response.content.lower() and b"Pro" not in response.content


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["helpscout:app-content", "helpscout:app-panel"])
def test_a_missing_signature_gets_401(configured, client, mirror, ada, name):
    response = client.get(reverse(name) + "?conversation-id=10&customer-id=5")
    assert response.status_code == 401
    assert b"ada" not in response.content.lower()


@pytest.mark.django_db
def test_tampered_context_gets_401(configured, get, mirror, ada):
    signature = sign(context(customer=6))
    assert get(context(customer=5), signature=signature).status_code == 401


@pytest.mark.django_db
def test_own_url_parameters_are_left_out_when_configured(settings, get, mirror, ada):
    settings.HELPSCOUT = {"APP_PLATFORM_SECRET": SECRET}
    assert get(context(), own=[("tenant", "acme")]).status_code == 401
    settings.HELPSCOUT = {"APP_PLATFORM_SECRET": SECRET, "APP_PLATFORM_URL_PARAMS": ["tenant"]}
    assert get(context(), own=[("tenant", "acme")]).status_code == 200


@pytest.mark.django_db
def test_an_unsigned_own_parameter_never_stands_for_the_signed_context(
    settings, get, mirror, ada, django_user_model
):
    """The app's own URL parameters are unsigned: anyone can change them. Even one named
    like a context parameter must not pick whose account the agent sees."""
    settings.HELPSCOUT = {
        "APP_PLATFORM_SECRET": SECRET,
        "CUSTOMER_PROPERTIES": P + "plan_with_markup",
        "APP_PLATFORM_URL_PARAMS": ["tenant", "customer-id"],
    }
    Customer.objects.create(id=6, first_name="Eve", email="eve@example.com")
    django_user_model.objects.create_user("eve", "eve@example.com")
    signed = [("conversation-id", "10"), ("conversation-number", "4321")]  # customer 5's

    html = get(signed, own=[("tenant", "acme"), ("customer-id", "6")]).content.decode()

    assert f"Product account #{ada.pk}" in html
    assert "eve@example.com" not in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        "conversation-id=10&conversation-id=11&X-HelpScout-Signature=x",
        "customer-id=%ff&X-HelpScout-Signature=x",
        "a=" + "x" * 10000,
        "&".join(f"k{i}=v" for i in range(200)),
    ],
)
def test_malformed_queries_get_400(configured, client, mirror, query):
    assert client.get(reverse("helpscout:app-content") + "?" + query).status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("value", "as_signed"),
    [
        ("99999999999999999999999", "99999999999999999999999"),  # beyond bigint
        ("-5", "-5"),
        ("0", "0"),
        ("1e3", "1e3"),
        ("\u0661\u0662", "\\u0661\\u0662"),  # Arabic-Indic digits
        ("", ""),
    ],
)
def test_odd_but_signed_ids_are_treated_as_absent_never_500(
    configured, client, mirror, value, as_signed
):
    data = '{"conversation-id":"10","customer-id":"' + as_signed + '"}'
    digest = hmac.new(SECRET.encode(), data.encode(), hashlib.sha1).digest()
    query = f"conversation-id=10&customer-id={quote(value)}"
    query += "&X-HelpScout-Signature=" + quote(base64.b64encode(digest).decode(), safe="")
    response = client.get(reverse("helpscout:app-content") + "?" + query)
    assert response.status_code == 200
    assert "No account" in response.content.decode()


@pytest.mark.django_db
def test_without_a_secret_both_endpoints_are_off(settings, get, mirror):
    settings.HELPSCOUT = {"DYNAMIC_APP_SECRET": "legacy-only"}
    assert get(context()).status_code == 404
    assert get(context(), name="helpscout:app-panel").status_code == 404


@pytest.mark.django_db
def test_only_get_is_allowed(configured, client):
    assert client.post(reverse("helpscout:app-content")).status_code == 405


@pytest.mark.django_db
def test_the_documented_local_test_snippet_works(configured, client, mirror, ada):
    # docs/dynamic-app.md, "Testing it locally", App platform.
    from urllib.parse import urlencode

    from helpscout_integration.dynamic_app.query_signature import signed_query

    context = [("conversation-id", "10"), ("customer-id", "5")]
    response = client.get("/helpscout/app/content/?" + urlencode(signed_query(context, SECRET)))
    assert response.status_code == 200
    assert f"Product account #{ada.pk}" in response.content.decode()


@pytest.mark.django_db
def test_an_override_may_extend_the_packaged_content_page(
    configured, get, mirror, ada, tmp_path, settings
):
    # docs/dynamic-app.md, "The Side Panel": the override extends the packaged template.
    page = tmp_path / "helpscout_integration" / "dynamic_app" / "app_content.html"
    page.parent.mkdir(parents=True)
    page.write_text(
        '{% extends "helpscout_integration/dynamic_app/app_content.html" %}'
        '{% block scripts %}<script src="/sdk.js"></script>{{ block.super }}{% endblock %}'
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [str(tmp_path), *settings.TEMPLATES[0].get("DIRS", [])]}
    ]
    html = get(context()).content.decode()
    assert '<script src="/sdk.js"></script>' in html and "app_platform.js" in html
