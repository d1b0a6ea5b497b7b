"""The look-alike table (tests/lookalike_cases.py) against the App platform sidebar and
the legacy Dynamic App: a Help Scout customer with a look-alike address must never be
shown as the product user it imitates (the App platform lower-cased with `str.lower()`,
so a customer `\\u212aate@` was shown as our user kate, properties included).

Both the victim and a product user with the look-alike address exist: a refused address
identifies nobody, a distinct one (plus-addressing) only its own user.
"""

import pytest
from django.contrib.auth import get_user_model

from helpscout_integration.models import Conversation, Customer
from tests.lookalike_cases import LookAlikeSurface, Outcome

from .test_platform_views import SECRET as PLATFORM_SECRET
from .test_platform_views import context, get  # noqa: F401 (get: a fixture)
from .test_view import SECRET as LEGACY_SECRET
from .test_view import payload, post  # noqa: F401 (post: a fixture)

pytestmark = pytest.mark.django_db
PROPERTIES = "tests.dynamic_app.producers.plan_with_markup"


def product_users(case):
    User = get_user_model()
    return User.objects.create(username="victim", email=case.victim), User.objects.create(
        username="lookalike", email=case.attacker
    )


def shown(html, user):
    return f"Product account #{user.pk}" in html


class TestAppPlatform(LookAlikeSurface):
    reports_reason = False  # the sidebar says "no account"; it names nobody and no reason

    def _html(self, request, customer_email):
        settings = request.getfixturevalue("settings")
        settings.HELPSCOUT = {
            "APP_PLATFORM_SECRET": PLATFORM_SECRET,
            "CUSTOMER_PROPERTIES": PROPERTIES,
        }
        customer = Customer.objects.create(id=5, email=customer_email, emails=[customer_email])
        Conversation.objects.create(id=10, number=4321, subject="Billing", customer=customer)
        return request.getfixturevalue("get")(context()).content.decode()

    def attack(self, case, request):
        victim, lookalike = product_users(case)
        html = self._html(request, case.attacker)
        return Outcome(reached_victim=shown(html, victim), acted_as_itself=shown(html, lookalike))

    def victim_can_use(self, request):
        kate = get_user_model().objects.create(username="kate", email="Kate@example.org")
        return shown(self._html(request, "kate@EXAMPLE.org"), kate)


class TestLegacyDynamicApp(LookAlikeSurface):
    reports_reason = False

    def _html(self, request, customer_email):
        settings = request.getfixturevalue("settings")
        settings.HELPSCOUT = {
            "DYNAMIC_APP_SECRET": LEGACY_SECRET,
            "CUSTOMER_PROPERTIES": PROPERTIES,
        }
        return request.getfixturevalue("post")(payload(customer_email)).json()["html"]

    def attack(self, case, request):
        victim, lookalike = product_users(case)
        html = self._html(request, case.attacker)
        return Outcome(reached_victim=shown(html, victim), acted_as_itself=shown(html, lookalike))

    def victim_can_use(self, request):
        kate = get_user_model().objects.create(username="kate", email="Kate@example.org")
        return shown(self._html(request, "kate@EXAMPLE.org"), kate)
