"""`api/me/beacon-identity/`: the secure-mode identity a mobile Beacon SDK needs."""

import hashlib
import hmac

import pytest
from django.urls import reverse

URL = "helpscout:my-beacon-identity"
SECRET = "beacon-secret-not-for-clients"


@pytest.fixture
def beacon_settings(settings):
    settings.HELPSCOUT = {**settings.HELPSCOUT, "BEACON_SECRET_KEY": SECRET}
    return settings


@pytest.mark.django_db
def test_signed_in_user_gets_the_identity_the_web_tag_signs(beacon_settings, make_user, api_as):
    ada = make_user("ada", email="ada@example.com", first_name="Ada", last_name="Lovelace")

    response = api_as(ada).get(reverse(URL))

    assert response.status_code == 200
    body = response.json()
    assert body["email"] == "ada@example.com"
    assert body["name"] == "Ada Lovelace"
    expected = hmac.new(SECRET.encode(), b"ada@example.com", hashlib.sha256).hexdigest()
    assert body["signature"] == expected
    assert SECRET not in response.content.decode()


@pytest.mark.django_db
def test_anonymous_visitors_get_no_identity(beacon_settings, client):
    response = client.get(reverse(URL))

    assert response.status_code in (401, 403)
    assert "signature" not in response.content.decode()


@pytest.mark.django_db
def test_a_user_without_an_email_has_no_identity(beacon_settings, make_user, api_as):
    response = api_as(make_user("nomail", email="")).get(reverse(URL))

    assert response.status_code == 404


@pytest.mark.django_db
def test_identity_requests_are_throttled(beacon_settings, make_user, api_as):
    beacon_settings.REST_FRAMEWORK = {"DEFAULT_THROTTLE_RATES": {"helpscout_read": "2/min"}}
    ada = api_as(make_user("ada"))

    statuses = [ada.get(reverse(URL)).status_code for _ in range(3)]

    assert statuses == [200, 200, 429]


@pytest.mark.django_db
def test_without_a_secret_key_the_identity_has_no_signature(settings, make_user, api_as):
    settings.HELPSCOUT = {k: v for k, v in settings.HELPSCOUT.items() if k != "BEACON_SECRET_KEY"}

    response = api_as(make_user("ada")).get(reverse(URL))

    assert response.status_code == 200
    assert response.json() == {"name": "ada", "email": "ada@example.com"}


@pytest.mark.django_db
def test_the_mobile_signature_covers_exactly_the_email_it_returns(beacon_settings, api_as):
    """A second, independent check (issue 33): the SDK sends `email` as returned, so the
    signature must be over that exact string, case included, never a transformed one."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create(username="grace", email="Grace.Hopper@Navy.MIL")

    body = api_as(user).get(reverse(URL)).json()

    assert body["email"] == "Grace.Hopper@Navy.MIL"
    exact = hmac.new(SECRET.encode(), b"Grace.Hopper@Navy.MIL", hashlib.sha256).hexdigest()
    assert body["signature"] == exact
