"""The look-alike table (tests/lookalike_cases.py) against organization pushes: linking a
product user's Help Scout customer to the account's organization (or creating it) must
never reach the customer a look-alike address imitates (Help Scout, like the sandbox, may
find that customer by Unicode lower-casing). A refused address is reported on the result,
sent nowhere and never logged.
"""

import logging

import pytest
from django.contrib.auth.models import Group, User

from helpscout_integration.organizations import push_organization_now
from tests.lookalike_cases import LookAlikeSurface, Outcome

from .accounts import ACCOUNT_FIELDS

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.helpscout_sandbox(rate_limit_per_minute=None, write_burst=None),
]


def _member(username, email):
    group, _ = Group.objects.get_or_create(name="Acme")
    user = User.objects.create(username=username, email=email)  # as stored, not normalised
    user.groups.add(group)
    return user


def _customer_requests(sandbox):
    return [r for r in sandbox.request_log if "/customers" in r[1]]


class TestOrganizationPush(LookAlikeSurface):
    def attack(self, case, request):
        sandbox = request.getfixturevalue("org_settings")
        caplog = request.getfixturevalue("caplog")
        ACCOUNT_FIELDS["Acme"] = {"name": "Acme"}
        victim = sandbox.create_customer(case.victim)
        user = _member("attacker", case.attacker)
        before = len(_customer_requests(sandbox))

        with caplog.at_level(logging.DEBUG):
            result = push_organization_now(user)

        assert case.attacker not in caplog.text  # nothing logged with the address
        victim_org = sandbox.store.customers[victim["id"]].organization_id
        reached = victim["id"] in result.linked_customers or victim_org is not None
        refused = result.refused_users.get(user.pk)
        if refused is not None:
            assert len(_customer_requests(sandbox)) == before  # no request about the address
            assert not result.ok and refused.reason in result.summary()
            return Outcome(reached_victim=reached, refused_with=refused.code)
        own = sandbox.store.customer_by_email(case.attacker)
        return Outcome(
            reached_victim=reached,
            acted_as_itself=result.created_customers == 1
            and own is not None
            and own.id != victim["id"]
            and own.organization_id == result.organization_id,
        )

    def victim_can_use(self, request):
        sandbox = request.getfixturevalue("org_settings")
        ACCOUNT_FIELDS["Acme"] = {"name": "Acme"}
        kate = sandbox.create_customer("kate@example.org")
        result = push_organization_now(_member("kate", "Kate@Example.org"))
        linked = sandbox.store.customers[kate["id"]].organization_id
        return (
            result.ok
            and result.linked_customers == [kate["id"]]
            and linked == (result.organization_id)
        )
