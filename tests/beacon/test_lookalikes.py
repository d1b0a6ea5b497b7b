"""The look-alike table (tests/lookalike_cases.py) against the Beacon template tag.

Before the identity rule the tag signed a Kelvin-sign user's address, and the sandbox's
Beacon (matching customers by Unicode lower-casing, as Help Scout may) opened kate's
previous messages with it. A refused address renders Beacon without identity and logs
why, never the address.
"""

import json
import logging
import re

import pytest
from django.contrib.auth import get_user_model
from django.template import Context, Template
from django.test import RequestFactory

from tests.api.test_lookalikes import beacon_session
from tests.lookalike_cases import LookAlikeSurface, Outcome

from .conftest import BEACON_ID

SECRET = "lookalike-beacon-secret"

pytestmark = [pytest.mark.django_db, pytest.mark.helpscout_sandbox(beacon_secret_key=SECRET)]


def render_for(user, settings):
    settings.HELPSCOUT = {**settings.HELPSCOUT, "BEACON_ID": BEACON_ID}
    request = RequestFactory().get("/")
    request.user = user
    html = Template("{% load helpscout %}{% helpscout_beacon %}").render(
        Context({"request": request})
    )
    config = re.search(r"<script[^>]*>(\{.*?\})</script>", html, re.S)
    assert config is not None, html
    return json.loads(config.group(1))


class TestBeaconTag(LookAlikeSurface):
    def attack(self, case, request):
        sandbox = request.getfixturevalue("helpscout_sandbox")
        caplog = request.getfixturevalue("caplog")
        victim = sandbox.create_conversation(customer_email=case.victim, subject="Victim")
        user = get_user_model().objects.create(username="attacker", email=case.attacker)

        with caplog.at_level(logging.WARNING, logger="helpscout_integration"):
            config = render_for(user, request.getfixturevalue("settings"))

        logged = " ".join(r.getMessage() for r in caplog.records)
        assert case.attacker not in logged  # personal data never reaches the log
        identity = config["identify"]
        if identity is None:
            code = re.search(r"\(refusal: (\w+)\)", logged)
            return Outcome(reached_victim=False, refused_with=code and code.group(1))
        session = beacon_session(sandbox, identity)
        return Outcome(
            reached_victim=victim["id"] in [c["id"] for c in session["conversations"]],
            acted_as_itself=session["verified"] and identity["email"] == case.attacker,
        )

    def victim_can_use(self, request):
        sandbox = request.getfixturevalue("helpscout_sandbox")
        victim = sandbox.create_conversation(customer_email="kate@example.org")
        user = get_user_model().objects.create(username="kate", email="Kate@Example.org")
        identity = render_for(user, request.getfixturevalue("settings"))["identify"]
        shown = [c["id"] for c in beacon_session(sandbox, identity)["conversations"]]
        return identity["email"] == "Kate@Example.org" and shown == [victim["id"]]
