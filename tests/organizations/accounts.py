"""The test host's accounts: Django's `auth.Group` stands for a product account.

`ACCOUNT_FIELDS` lets a test say what `ORGANIZATION_FIELDS` returns for an account name.
"""

ACCOUNT_FIELDS: dict[str, dict] = {}


def account_of(user):
    return user.groups.order_by("pk").first()


def fields_of(group):
    return ACCOUNT_FIELDS.get(group.name, {"name": group.name})
