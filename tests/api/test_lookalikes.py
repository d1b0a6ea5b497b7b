"""The look-alike table (tests/lookalike_cases.py) against the end-user API: opening a
conversation, replying, listing, and the mobile Beacon identity endpoint.

The sandbox matches customers by Unicode lower-casing, as Help Scout may, so before the
identity rule a Kelvin-sign user opened a conversation on kate's customer and got a
Beacon signature that opened kate's previous messages.
"""

import httpx
import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.lookalike_cases import LookAlikeSurface, Outcome

LIST = "helpscout:my-conversation-list"
REPLY = "helpscout:my-conversation-reply"
IDENTITY = "helpscout:my-beacon-identity"
SECRET = "lookalike-beacon-secret"

pytestmark = [pytest.mark.django_db, pytest.mark.helpscout_sandbox(beacon_secret_key=SECRET)]


def product_user(username, email):
    """A product user with exactly this address (create_user would lower-case the domain)."""
    return get_user_model().objects.create(username=username, email=email)


def _writes(sandbox):
    return [entry for entry in sandbox.request_log if entry[0] in ("POST", "PUT", "PATCH")]


class _Surface(LookAlikeSurface):
    def setup_victim(self, request, case_victim):
        sandbox = request.getfixturevalue("helpscout_sandbox")
        mailbox = sandbox.create_mailbox("Support")
        from helpscout_integration.models import Mailbox

        Mailbox.objects.get_or_create(id=mailbox["id"], defaults={"name": "Support"})
        conversation = request.getfixturevalue("mirrored")(case_victim, subject="Victim 4411")
        customer = sandbox.get_conversation(conversation)["primaryCustomer"]["id"]
        return sandbox, conversation, customer


class TestOpeningAConversation(_Surface):
    def attack(self, case, request):
        sandbox, _conversation, victim_customer = self.setup_victim(request, case.victim)
        api = request.getfixturevalue("api_as")(product_user("attacker", case.attacker))
        before = _writes(sandbox)

        response = api.post(reverse(LIST), {"subject": "Hi", "text": "Refund me"})

        if response.status_code != 201:
            assert response.status_code == 400 and _writes(sandbox) == before
            return Outcome(reached_victim=False, refused_with=response.json()["code"])
        created = sandbox.get_conversation(response.json()["id"])["primaryCustomer"]
        return Outcome(
            reached_victim=created["id"] == victim_customer or "4411" in response.content.decode(),
            acted_as_itself=created["email"] == case.attacker,
        )

    def victim_can_use(self, request):
        sandbox, _conversation, victim_customer = self.setup_victim(request, "kate@example.org")
        api = request.getfixturevalue("api_as")(product_user("kate", "Kate@example.org"))
        response = api.post(reverse(LIST), {"subject": "Hi", "text": "Hello"})
        return sandbox.get_conversation(response.json()["id"])["primaryCustomer"]["id"] == (
            victim_customer
        )

    def test_the_400_names_the_reason_and_never_reaches_help_scout(self, request):
        sandbox, _conversation, _customer = self.setup_victim(request, "kate@example.org")
        api = request.getfixturevalue("api_as")(product_user("k", "\u212aate@example.org"))

        response = api.post(reverse(LIST), {"subject": "Hi", "text": "Hello"})

        assert response.status_code == 400
        assert "compatibility characters" in response.json()["detail"]
        assert not [e for e in sandbox.request_log if "/conversations" in e[1] and e[0] == "POST"]


class TestReplying(_Surface):
    reports_reason = False  # another customer's conversation is a 404, whatever the reason

    def attack(self, case, request):
        sandbox, conversation, _customer = self.setup_victim(request, case.victim)
        api_as = request.getfixturevalue("api_as")
        attacker = product_user("attacker", case.attacker)
        own = None if case.refused else request.getfixturevalue("mirrored")(case.attacker)
        before = _writes(sandbox)

        at_victim = api_as(attacker).post(reverse(REPLY, args=[conversation]), {"text": "x"})
        reached = at_victim.status_code != 404 or _writes(sandbox) != before
        acted = own is not None and (
            api_as(attacker).post(reverse(REPLY, args=[own]), {"text": "x"}).status_code == 201
        )
        return Outcome(reached_victim=reached, acted_as_itself=acted)

    def victim_can_use(self, request):
        _sandbox, conversation, _customer = self.setup_victim(request, "kate@example.org")
        api = request.getfixturevalue("api_as")(product_user("kate", "kate@example.org"))
        return api.post(reverse(REPLY, args=[conversation]), {"text": "x"}).status_code == 201


class TestListing(_Surface):
    reports_reason = False  # a refused address lists nothing

    def attack(self, case, request):
        _sandbox, conversation, _customer = self.setup_victim(request, case.victim)
        own = None if case.refused else request.getfixturevalue("mirrored")(case.attacker)
        api = request.getfixturevalue("api_as")(product_user("attacker", case.attacker))

        listed = [c["id"] for c in api.get(reverse(LIST)).json()["results"]]
        detail = api.get(reverse("helpscout:my-conversation-detail", args=[conversation]))
        return Outcome(
            reached_victim=conversation in listed or detail.status_code != 404,
            acted_as_itself=own is not None and listed == [own],
        )

    def victim_can_use(self, request):
        _sandbox, conversation, _customer = self.setup_victim(request, "kate@example.org")
        api = request.getfixturevalue("api_as")(product_user("kate", "KATE@example.org"))
        return [c["id"] for c in api.get(reverse(LIST)).json()["results"]] == [conversation]


def beacon_session(sandbox, identity):
    """What Beacon (the sandbox's stand-in) shows for an identity: secure mode's check,
    then the previous messages of the customer Help Scout matches to the email."""
    body = {"email": identity.get("email"), "signature": identity.get("signature")}
    return httpx.post(f"{sandbox.url}/beacon/api/session", json=body).json()


class TestMobileBeaconIdentity(_Surface):
    def attack(self, case, request):
        sandbox, conversation, _customer = self.setup_victim(request, case.victim)
        api = request.getfixturevalue("api_as")(product_user("attacker", case.attacker))

        response = api.get(reverse(IDENTITY))

        if response.status_code == 400:
            return Outcome(reached_victim=False, refused_with=response.json()["code"])
        identity = response.json()
        session = beacon_session(sandbox, identity)
        shown = [c["id"] for c in session["conversations"]]
        return Outcome(
            reached_victim=conversation in shown,
            acted_as_itself=session["verified"] and identity["email"] == case.attacker,
        )

    def victim_can_use(self, request):
        sandbox, conversation, _customer = self.setup_victim(request, "kate@example.org")
        api = request.getfixturevalue("api_as")(product_user("kate", "Kate@Example.org"))
        identity = api.get(reverse(IDENTITY)).json()
        shown = [c["id"] for c in beacon_session(sandbox, identity)["conversations"]]
        return identity["email"] == "Kate@Example.org" and shown == [conversation]
