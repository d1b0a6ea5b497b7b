import pytest

from . import accounts

HOOKS = "tests.organizations.accounts."


@pytest.fixture
def org_settings(helpscout_sandbox, settings):
    settings.HELPSCOUT = {
        **settings.HELPSCOUT,
        "ORGANIZATION_OF_USER": HOOKS + "account_of",
        "ORGANIZATION_FIELDS": HOOKS + "fields_of",
    }
    accounts.ACCOUNT_FIELDS.clear()
    yield helpscout_sandbox
    accounts.ACCOUNT_FIELDS.clear()


@pytest.fixture
def make_member(db):
    from django.contrib.auth.models import Group, User

    def make(username, account, **fields):
        group, _ = Group.objects.get_or_create(name=account)
        user = User.objects.create_user(username, f"{username}@example.com", **fields)
        user.groups.add(group)
        return user

    return make
