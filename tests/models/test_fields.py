"""MirrorJSONField: JSON columns the writer fills, without a per-row validity check."""

import pytest
from django.db import connection

from helpscout_integration.models import Conversation, Customer, Thread
from helpscout_integration.models.fields import MirrorJSONField
from helpscout_integration.sync.upsert import upsert_conversations, upsert_customers

pytestmark = pytest.mark.django_db


def test_mirror_json_columns_carry_no_json_valid_check_in_the_schema():
    for model in (Conversation, Thread, Customer):
        fields = [f for f in model._meta.concrete_fields if isinstance(f, MirrorJSONField)]
        assert fields, model
        assert all(f.db_check(connection) is None for f in fields)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT sql FROM sqlite_master WHERE name IN (%s, %s)",
                [Thread._meta.db_table, Conversation._meta.db_table],
            )
            schemas = [sql for (sql,) in cursor.fetchall()]
        assert len(schemas) == 2 and not any("JSON_VALID" in sql for sql in schemas)


def test_json_lookups_still_work_on_mirror_columns():
    upsert_customers(
        [{"id": 7, "firstName": "Ann", "emails": [{"value": "ann@x.io"}, {"value": "a@y.io"}]}]
    )
    upsert_conversations(
        [
            {
                "id": 1,
                "number": 1,
                "subject": "Hi",
                "status": "active",
                "customFields": [{"id": 5, "value": "gold"}],
                "userUpdatedAt": "2024-01-01T10:00:00Z",
            }
        ]
    )
    assert Customer.objects.filter(emails__1="a@y.io").get().pk == 7  # key transforms
    assert Customer.objects.filter(data__has_key="firstName").get().pk == 7
    assert Conversation.objects.filter(data__subject="Hi").get().custom_fields[0]["value"] == "gold"
