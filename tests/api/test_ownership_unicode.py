"""Ownership by Help Scout's email rules: ASCII case-insensitive, nothing else folded.

KELVIN SIGN (U+212A) lower-cases to an ASCII "k" in Python and folds differently again
in SQL; a product user `\u212aate@example.com` must never own `kate@example.com`.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from helpscout_integration.api.ownership import customer_ids_for
from helpscout_integration.models import Customer, Mailbox

LIST = "helpscout:my-conversation-list"
DETAIL = "helpscout:my-conversation-detail"
REPLY = "helpscout:my-conversation-reply"
KELVIN = "\u212aate@example.com"  # validate_email accepts it; "\u212a".lower() == "k"


@pytest.fixture
def kates(mirrored, helpscout_sandbox):
    """Kate's conversation, with a mailbox mirrored so the create endpoint works."""
    created = helpscout_sandbox.create_mailbox("Support")
    Mailbox.objects.get_or_create(id=created["id"], defaults={"name": "Support"})
    return mirrored(
        "kate@example.com",
        subject="Kate's invoice 4411",
        threads=[{"type": "customer", "text": "My card ends in 4242"}],
    )


def _posts(sandbox):
    return [path for method, path, _status in sandbox.request_log if method == "POST"]


@pytest.mark.django_db
def test_kelvin_sign_user_does_not_list_kates_conversations(kates, make_user, api_as):
    attacker = make_user("attacker", email=KELVIN)

    response = api_as(attacker).get(reverse(LIST))

    assert response.status_code == 200 and response.data["results"] == []
    assert "4411" not in response.content.decode()
    assert customer_ids_for(attacker) == []


@pytest.mark.django_db
def test_kelvin_sign_user_gets_404_for_kates_detail(kates, make_user, api_as):
    attacker = make_user("attacker", email=KELVIN)

    response = api_as(attacker).get(reverse(DETAIL, args=[kates]))

    assert response.status_code == 404 and "4242" not in response.content.decode()


@pytest.mark.django_db
def test_kelvin_sign_user_cannot_reply_to_kates_conversation(
    kates, make_user, api_as, helpscout_sandbox
):
    attacker = make_user("attacker", email=KELVIN)
    before = _posts(helpscout_sandbox)

    response = api_as(attacker).post(reverse(REPLY, args=[kates]), {"text": "refund me"})

    assert response.status_code == 404
    assert _posts(helpscout_sandbox) == before  # nothing reached Help Scout


@pytest.mark.django_db
def test_kelvin_sign_user_cannot_attach_files_to_kates_conversation(
    kates, make_user, api_as, helpscout_sandbox
):
    attacker = make_user("attacker", email=KELVIN)
    before = _posts(helpscout_sandbox)
    upload = SimpleUploadedFile("invoice.pdf", b"%PDF-1.4 fake", content_type="application/pdf")

    response = api_as(attacker).post(
        reverse(REPLY, args=[kates]), {"text": "see file", "attachments": [upload]},
        format="multipart",
    )  # fmt: skip

    assert response.status_code == 404
    assert _posts(helpscout_sandbox) == before


@pytest.mark.django_db
def test_creating_a_conversation_as_a_kelvin_sign_user_is_refused(
    kates, make_user, api_as, helpscout_sandbox
):
    """Help Scout (here: the sandbox) would file the new conversation under kate's
    customer, so nothing is sent: a 400 that names the reason."""
    attacker = make_user("attacker", email=KELVIN)
    upload = SimpleUploadedFile("a.txt", b"x", content_type="text/plain")
    before = _posts(helpscout_sandbox)

    response = api_as(attacker).post(
        reverse(LIST), {"subject": "Hi", "text": "Hello", "attachments": [upload]},
        format="multipart",
    )  # fmt: skip

    assert response.status_code == 400
    assert "compatibility characters" in response.content.decode()
    assert "4411" not in response.content.decode()
    assert _posts(helpscout_sandbox) == before


@pytest.mark.django_db
def test_ascii_letters_stay_case_insensitive(kates, make_user, api_as):
    kate = make_user("kate", email="Kate@EXAMPLE.com")

    response = api_as(kate).get(reverse(LIST))

    assert [c["id"] for c in response.data["results"]] == [kates]


@pytest.mark.django_db
def test_a_non_ascii_address_matches_only_itself(mirrored, make_user, api_as):
    joerg = mirrored("jörg@example.com", subject="Umlaut")
    other = mirrored("ada@example.com")
    Customer.objects.filter(conversations__pk=other).update(
        emails=["ada@example.com", "zoë@example.com"]
    )

    assert customer_ids_for(make_user("j1", email="jörg@example.com"))
    assert not customer_ids_for(make_user("j2", email="Jörg@example.com"))
    assert not customer_ids_for(make_user("j3", email="JÖRG@example.com"))
    # A secondary address is found in SQL on every backend, exactly.
    assert customer_ids_for(make_user("z1", email="zoë@example.com"))
    assert not customer_ids_for(make_user("z2", email="Zoë@example.com"))
    listing = api_as(make_user("j5", email="jörg@example.com")).get(reverse(LIST))
    assert [c["id"] for c in listing.data["results"]] == [joerg]


@pytest.mark.django_db
def test_a_secondary_address_with_a_kelvin_sign_is_not_kates(mirrored, make_user):
    """The fold fails in the other direction too: a customer who wrote from the Kelvin
    spelling is not the product user `kate@example.com`."""
    stranger = mirrored("stranger@example.com")
    Customer.objects.filter(conversations__pk=stranger).update(
        emails=["stranger@example.com", KELVIN]
    )

    assert customer_ids_for(make_user("kate", email="kate@example.com")) == []
    # ...and the Kelvin spelling itself is refused by the identity rule: it owns nothing.
    assert customer_ids_for(make_user("kelvin", email=KELVIN)) == []
