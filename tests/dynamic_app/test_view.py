"""`dynamic-app/`: Help Scout's signed sidebar request answered from the product's data."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings
from django.urls import reverse

from helpscout_integration.webhooks.signature import compute_signature

SECRET = "sidebar-secret-123"
P = "tests.dynamic_app.producers."


def payload(*emails, email=None, **extra):
    return {
        "ticket": {"id": 10, "number": 4321, "subject": "Billing"},
        "customer": {"id": 5, "fname": "Ada", "lname": "L", "email": email, "emails": list(emails)},
        "user": {"id": 1, "fname": "Agent", "lname": "Smith", "role": "user"},
        "mailbox": {"id": 3, "email": "help@example.com"},
        **extra,
    }


@pytest.fixture
def configured(settings):
    settings.HELPSCOUT = {
        "DYNAMIC_APP_SECRET": SECRET,
        "CUSTOMER_PROPERTIES": P + "plan_with_markup",
    }


@pytest.fixture
def post(client):
    def send(data, secret=SECRET, signature=None, raw=None):
        body = raw if raw is not None else json.dumps(data).encode()
        headers = {}
        if signature is not None:
            headers["HTTP_X_HELPSCOUT_SIGNATURE"] = signature
        elif secret:
            headers["HTTP_X_HELPSCOUT_SIGNATURE"] = compute_signature(body, secret)
        return client.post(
            reverse("helpscout:dynamic-app"), body, content_type="application/json", **headers
        )

    return send


@pytest.fixture
def ada(db):
    return get_user_model().objects.create_user(
        "ada", "Ada@Example.com", first_name="Ada", last_name="<i>Lovelace</i>"
    )


@pytest.mark.django_db
def test_a_known_customer_gets_the_product_panel(configured, post, ada):
    response = post(payload("other@example.com", "ada@example.com"))

    assert response.status_code == 200
    html = response.json()["html"]
    assert f"Product account #{ada.pk}" in html
    assert "<strong>Plan:</strong> Pro" in html
    assert "Seats" not in html  # None values are left out


@pytest.mark.django_db
def test_product_values_are_html_escaped(configured, post, ada):
    html = post(payload(email="ada@example.com")).json()["html"]

    assert "<script>" not in html and "<i>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co" in html
    assert "&lt;i&gt;Lovelace&lt;/i&gt;" in html


@pytest.mark.django_db
def test_an_unknown_customer_gets_a_friendly_no_account_panel(configured, post, ada):
    response = post(payload("<b>nobody</b>@example.com"))

    html = response.json()["html"]
    assert response.status_code == 200
    assert "No account" in html and "&lt;b&gt;nobody&lt;/b&gt;@example.com" in html
    assert "Pro" not in html


@pytest.mark.django_db
def test_inactive_users_are_not_shown(configured, post, ada):
    ada.is_active = False
    ada.save()
    assert "No account" in post(payload("ada@example.com")).json()["html"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("secret", "signature"),
    [
        ("wrong-secret", None),  # signed with another key
        (None, None),  # no header at all
        (None, ""),  # empty header
        (None, "not base64!"),
    ],
)
def test_unsigned_or_wrongly_signed_requests_get_401_and_no_data(
    configured, post, ada, secret, signature
):
    response = post(payload("ada@example.com"), secret=secret, signature=signature)

    assert response.status_code == 401
    assert b"Pro" not in response.content and b"ada" not in response.content.lower()


@pytest.mark.django_db
def test_the_signature_covers_the_exact_bytes(configured, post, ada):
    body = json.dumps(payload("ada@example.com")).encode()
    signature = compute_signature(body, SECRET)
    reencoded = json.dumps(json.loads(body), indent=2).encode()
    assert post(None, raw=reencoded, signature=signature).status_code == 401
    assert post(None, raw=body, signature=signature).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("signed", [b"", b"{}"])
def test_the_signature_of_another_body_is_refused(configured, post, ada, signed):
    """Only the body's own signature opens the sidebar: not the signature of an empty
    body (what a careless "no body" fallback would compute), nor of any other body."""
    body = json.dumps(payload("ada@example.com")).encode()
    response = post(None, raw=body, signature=compute_signature(signed, SECRET))
    assert response.status_code == 401
    assert b"Pro" not in response.content


@pytest.mark.django_db
def test_signed_but_malformed_json_is_a_400(configured, post):
    assert post(None, raw=b"{not json").status_code == 400
    assert post(None, raw=b"[1, 2]").status_code == 400


@pytest.mark.django_db
def test_without_a_secret_the_endpoint_is_off(settings, post, ada):
    settings.HELPSCOUT = {}
    assert post(payload("ada@example.com"), secret="anything").status_code == 404


@pytest.mark.django_db
def test_only_post_is_allowed(configured, client):
    assert client.get(reverse("helpscout:dynamic-app")).status_code == 405


@pytest.mark.django_db
def test_extra_context_and_failing_callables(settings, post, ada, tmp_path):
    settings.HELPSCOUT = {
        "DYNAMIC_APP_SECRET": SECRET,
        "CUSTOMER_PROPERTIES": P + "broken",
        "DYNAMIC_APP_CONTEXT": P + "extra_context",
    }
    (tmp_path / "helpscout_integration" / "dynamic_app").mkdir(parents=True)
    (tmp_path / "helpscout_integration" / "dynamic_app" / "sidebar.html").write_text(
        "<p>{{ user.username }}: {{ open_invoices }} invoices, #{{ ticket_number }}, "
        "{{ properties|length }} properties</p>"
    )
    templates = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    with override_settings(TEMPLATES=templates):
        response = post(payload("ada@example.com"))

    assert response.status_code == 200
    assert response.json()["html"] == "<p>ada: 2 invoices, #4321, 0 properties</p>"


@pytest.mark.django_db
def test_answers_without_calling_help_scout(configured, post, ada, django_assert_max_num_queries):
    import respx

    with respx.mock(assert_all_mocked=True) as mock, django_assert_max_num_queries(2):
        assert post(payload("ada@example.com")).status_code == 200
    assert mock.calls.call_count == 0


@pytest.mark.django_db
def test_an_oversized_body_is_refused_before_reading(settings, post):
    settings.HELPSCOUT = {"DYNAMIC_APP_SECRET": SECRET, "WEBHOOK_MAX_BODY_BYTES": 100}
    response = post(payload("ada@example.com", "x" * 200 + "@example.com"))
    assert response.status_code == 413


@pytest.mark.django_db
@pytest.mark.parametrize(
    "look_alike",
    ["\u212ada@example.com", "\u017fam@example.com"],  # KELVIN SIGN; LONG S (PG UPPER: "S")
)
def test_a_unicode_look_alike_customer_is_not_the_product_user(
    configured, post, look_alike, django_user_model
):
    """Whoever writes to support from a look-alike address must not make agents see the
    real user's account in the sidebar."""
    django_user_model.objects.create_user("kda", "kda@example.com")
    django_user_model.objects.create_user("sam", "sam@example.com")

    html = post(payload(look_alike)).json()["html"]

    assert "No account" in html and "Product account" not in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    "raw", [b"[" * 1000 + b"]" * 1000, b'{"customer": {"email": "\\ud800@example.com"}}']
)
def test_signed_json_too_deep_or_unstorable_is_a_400(configured, post, raw):
    assert post(None, raw=raw).status_code == 400
