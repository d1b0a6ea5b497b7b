"""The look-alike table (tests/lookalike_cases.py) against customer property pushes: a
product user with a look-alike address must never push onto the customer it imitates
(Help Scout, like the sandbox, may find that customer by Unicode lower-casing).

Organization pushes meet the same table in tests/organizations/test_lookalikes.py.
"""

import pytest
from django.contrib.auth import get_user_model

from helpscout_integration.customer_properties import push_properties_now
from helpscout_integration.emails import REFUSALS
from tests.lookalike_cases import LookAlikeSurface, Outcome

from .conftest import properties_of

pytestmark = pytest.mark.django_db


def _code(error):
    return next((code for code, r in REFUSALS.items() if r.reason in error), None)


class TestPropertyPush(LookAlikeSurface):
    def attack(self, case, request):
        sandbox = request.getfixturevalue("properties_sandbox")
        victim = sandbox.create_customer(case.victim)
        user = get_user_model().objects.create(username="attacker", email=case.attacker)
        writes = len([e for e in sandbox.request_log if e[0] in ("POST", "PATCH", "PUT")])

        result = push_properties_now(user)

        if result.error:
            after = len([e for e in sandbox.request_log if e[0] in ("POST", "PATCH", "PUT")])
            assert after == writes  # refused before any request
            return Outcome(reached_victim=False, refused_with=_code(result.error))
        return Outcome(
            reached_victim=result.customer_id == victim["id"]
            or bool(properties_of(sandbox, victim["id"])),
            acted_as_itself=result.customer_created and result.email == case.attacker,
        )

    def victim_can_use(self, request):
        sandbox = request.getfixturevalue("properties_sandbox")
        kate = sandbox.create_customer("kate@example.org")
        user = get_user_model().objects.create(username="kate", email="Kate@Example.org")
        result = push_properties_now(user)
        pushed = properties_of(sandbox, kate["id"])
        return result.ok and result.customer_id == kate["id"] and pushed["plan"] == "Free"
