"""`HELPSCOUT["END_USER_OWNERSHIP"]`: products whose emails are not verified say what a
user owns; the API reads, writes and signs only that."""

import sys
import types

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from helpscout_integration.api.ownership import allauth_verified_emails, customer_ids_for
from helpscout_integration.models import Conversation, Mailbox

LIST = "helpscout:my-conversation-list"
VERIFIED = {}  # user pk -> verified emails, filled by the tests


def verified_only(user):
    return VERIFIED.get(user.pk, [])


def by_customer_id(user):
    return [VERIFIED["customer_id"]]


def broken(user):
    return [{"email": "x@example.com"}]


def single_string(user):
    return "ada@example.com"  # a list was meant: iterating it would give "a", "d", ...


@pytest.fixture
def ownership(settings):
    VERIFIED.clear()

    def use(path):
        settings.HELPSCOUT = {**settings.HELPSCOUT, "END_USER_OWNERSHIP": path}

    yield use
    VERIFIED.clear()


@pytest.fixture
def mailbox(helpscout_sandbox, db):
    created = helpscout_sandbox.create_mailbox("Support")
    Mailbox.objects.create(id=created["id"], name="Support")


@pytest.mark.django_db
def test_an_unverified_email_owns_nothing(ownership, mirrored, make_user, api_as):
    ownership(f"{__name__}.verified_only")
    mirrored("kate@example.com")
    squatter = make_user("squatter", email="kate@example.com")  # signed up, never verified

    assert api_as(squatter).get(reverse(LIST)).data["results"] == []


@pytest.mark.django_db
def test_verified_addresses_other_than_the_login_email_count(
    ownership, mirrored, make_user, api_as
):
    ownership(f"{__name__}.verified_only")
    work = mirrored("ada@work.example")
    ada = make_user("ada", email="ada@home.example")
    VERIFIED[ada.pk] = ["Ada@Work.example"]

    assert [c["id"] for c in api_as(ada).get(reverse(LIST)).data["results"]] == [work]


@pytest.mark.django_db
def test_customer_ids_are_accepted(ownership, mirrored, make_user):
    ownership(f"{__name__}.by_customer_id")
    conversation_id = mirrored("someone@example.com")
    VERIFIED["customer_id"] = Conversation.objects.get(pk=conversation_id).customer_id

    assert customer_ids_for(make_user("ada")) == [VERIFIED["customer_id"]]


@pytest.mark.django_db
def test_anything_but_ids_or_emails_is_a_configuration_error(ownership, make_user):
    ownership(f"{__name__}.broken")
    with pytest.raises(ImproperlyConfigured, match="customer ids .* or emails"):
        customer_ids_for(make_user("ada"))


@pytest.mark.django_db
def test_a_bare_string_is_a_configuration_error_not_a_list_of_letters(ownership, make_user):
    ownership(f"{__name__}.single_string")
    with pytest.raises(ImproperlyConfigured, match="must return a list"):
        customer_ids_for(make_user("ada"))


@pytest.mark.django_db
def test_opening_a_conversation_needs_an_owned_email(
    ownership, mailbox, make_user, api_as, helpscout_sandbox
):
    ownership(f"{__name__}.verified_only")
    squatter = make_user("squatter", email="kate@example.com")

    response = api_as(squatter).post(reverse(LIST), {"subject": "S", "text": "T"})

    assert response.status_code == 400 and "verified" in response.data["detail"]
    assert not [p for m, p, _s in helpscout_sandbox.request_log if m == "POST"]


@pytest.mark.django_db
def test_a_conversation_is_opened_as_the_verified_address(
    ownership, mailbox, make_user, api_as, helpscout_sandbox
):
    ownership(f"{__name__}.verified_only")
    ada = make_user("ada", email="ada@unverified.example")
    VERIFIED[ada.pk] = ["ada@verified.example"]

    response = api_as(ada).post(reverse(LIST), {"subject": "S", "text": "T"})

    assert response.status_code == 201
    sent = helpscout_sandbox.get_conversation(response.data["id"])
    assert sent["primaryCustomer"]["email"] == "ada@verified.example"
    assert response.data["threads"][0]["text"] == "T"  # and the user sees it at once


@pytest.mark.django_db
def test_beacon_signs_no_email_the_product_does_not_vouch_for(
    ownership, make_user, api_as, settings
):
    settings.HELPSCOUT = {**settings.HELPSCOUT, "BEACON_SECRET_KEY": "s3cret"}
    ownership(f"{__name__}.verified_only")
    squatter = make_user("squatter", email="kate@example.com")
    ada = make_user("ada")
    VERIFIED[ada.pk] = ["ada@example.com"]

    refused = api_as(squatter).get(reverse("helpscout:my-beacon-identity"))
    signed = api_as(ada).get(reverse("helpscout:my-beacon-identity"))

    assert refused.status_code == 404 and "signature" not in refused.content.decode()
    assert signed.status_code == 200 and signed.data["signature"]


# ---- the shipped django-allauth implementation, against a stand-in EmailAddress -----


class _Rows(list):
    def filter(self, **conditions):
        return _Rows(r for r in self if all(r[k] == v for k, v in conditions.items()))

    def order_by(self, *fields):
        return _Rows(sorted(self, key=lambda r: (not r["primary"], r["pk"])))

    def values_list(self, field, flat=False):
        return [r[field] for r in self]


@pytest.fixture
def fake_allauth(monkeypatch):
    """`allauth.account.models.EmailAddress` with rows, and the app reported installed."""
    rows = _Rows()
    models = types.ModuleType("allauth.account.models")
    models.EmailAddress = types.SimpleNamespace(objects=rows)
    for name, module in {
        "allauth": types.ModuleType("allauth"),
        "allauth.account": types.ModuleType("allauth.account"),
        "allauth.account.models": models,
    }.items():
        monkeypatch.setitem(sys.modules, name, module)
    from django.apps import apps

    real = apps.is_installed
    monkeypatch.setattr(apps, "is_installed", lambda n: n == "allauth.account" or real(n))
    return rows


@pytest.mark.django_db
def test_allauth_verified_addresses_only_primary_first(fake_allauth, make_user):
    ada, bob = make_user("ada"), make_user("bob")
    fake_allauth.extend(
        [
            {"pk": 1, "user": ada, "email": "ada@old.example", "verified": True, "primary": False},
            {
                "pk": 2,
                "user": ada,
                "email": "kate@example.com",
                "verified": False,
                "primary": False,
            },
            {"pk": 3, "user": ada, "email": "ada@example.com", "verified": True, "primary": True},
            {"pk": 4, "user": bob, "email": "bob@example.com", "verified": True, "primary": True},
        ]
    )

    assert allauth_verified_emails(ada) == ["ada@example.com", "ada@old.example"]


@pytest.mark.django_db
def test_allauth_verified_emails_drive_the_api(
    fake_allauth, ownership, mirrored, make_user, api_as
):
    ownership("helpscout_integration.api.ownership.allauth_verified_emails")
    mirrored("kate@example.com")
    squatter = make_user("squatter", email="kate@example.com")
    fake_allauth.append(
        {"pk": 1, "user": squatter, "email": "kate@example.com", "verified": False, "primary": True}
    )

    assert api_as(squatter).get(reverse(LIST)).data["results"] == []


@pytest.mark.django_db
def test_allauth_missing_is_a_clear_configuration_error(make_user):
    with pytest.raises(ImproperlyConfigured, match="django-allauth is not installed"):
        allauth_verified_emails(make_user("ada"))
