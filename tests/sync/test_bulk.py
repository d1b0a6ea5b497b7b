"""sync/bulk.py: the raw INSERT ... ON CONFLICT path, on SQLite and PostgreSQL alike."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from helpscout_integration.models import Conversation, Customer, Mailbox, Tag, Thread
from helpscout_integration.sync.bulk import (
    insert_links,
    pipelined,
    update_where_in,
    upsert_many,
    upsert_rows,
    values_where_in,
)
from helpscout_integration.sync.upsert import upsert_conversations

from .payloads import conversation

pytestmark = pytest.mark.django_db


def test_values_where_in_returns_the_matching_rows_only():
    upsert_conversations([conversation(1, threads=[11, 12]), conversation(2, threads=[21])])
    rows = values_where_in(Thread, "id", [11, 21, 999], ("id", "conversation_id"))
    assert sorted(rows) == [(11, 1), (21, 2)]
    by_conversation = values_where_in(Thread, "conversation_id", [1], ("id",))
    assert sorted(by_conversation) == [(11,), (12,)]
    assert values_where_in(Thread, "id", [], ("id",)) == []


def test_values_where_in_converts_values_as_the_orm_does():
    upsert_conversations([conversation(1, threads=[11]), conversation(2, status="closed")])
    fields = ("id", "hs_updated_at", "is_placeholder", "data", "is_deleted", "deleted_at")
    ours = sorted(values_where_in(Conversation, "id", [1, 2, 3], fields))
    assert ours == sorted(Conversation.objects.filter(pk__in=[1, 2, 3]).values_list(*fields))
    assert isinstance(ours[0][1], datetime) and ours[0][1].tzinfo is not None
    assert ours[0][2] is False and isinstance(ours[0][3], dict)


def test_update_where_in_sets_values_on_the_given_rows_only():
    upsert_conversations([conversation(1), conversation(2), conversation(3)])
    moment = datetime(2025, 5, 6, 7, 8, 9, tzinfo=UTC)
    with CaptureQueriesContext(connection) as queries:
        update_where_in(Conversation, [1, 3], {"synced_at": moment, "status": "pending"})
    assert len(queries) == 1
    rows = dict(Conversation.objects.values_list("id", "synced_at"))
    assert rows[1] == rows[3] == moment and rows[2] != moment
    assert Conversation.objects.filter(status="pending").count() == 2


def test_insert_links_adds_new_pairs_and_ignores_existing_ones():
    upsert_conversations([conversation(1, tags=[3]), conversation(2, tags=[])])
    Tag.objects.get_or_create(pk=4, defaults={"name": "four", "slug": "four"})
    through = Conversation.tags.through
    insert_links(through, "conversation_id", "tag_id", [(1, 3), (1, 4), (2, 4)])
    pairs = sorted(through.objects.values_list("conversation_id", "tag_id"))
    assert pairs == [(1, 3), (1, 4), (2, 4)]


def test_json_beyond_64_bit_integers_is_stored_and_read_back_exactly():
    """orjson refuses integers beyond 64 bits; the standard library takes over."""
    huge = 2**70
    upsert_rows(Tag, [{"id": 9, "name": "big", "slug": "big", "data": {"n": huge}}], update=None)
    assert Tag.objects.get(pk=9).data == {"n": huge}


def test_json_columns_round_trip_unicode_and_nesting():
    data = {"name": "Zoë ✓", "nested": {"list": [1, 2.5, None, True]}, "empty": []}
    upsert_rows(Tag, [{"id": 8, "name": "x", "slug": "x", "data": data}], update=None)
    assert Tag.objects.get(pk=8).data == data


def test_json_with_non_string_keys_is_stored_as_json_would_store_it():
    """Python-built values (not parsed JSON) may have integer keys: JSON makes them text."""
    upsert_rows(
        Tag, [{"id": 7, "name": "k", "slug": "k", "data": {1: "one", "a": {2: []}}}], update=None
    )
    assert Tag.objects.get(pk=7).data == {"1": "one", "a": {"2": []}}


def test_upsert_many_writes_every_model_in_one_round_trip_on_postgresql():
    Tag.objects.create(pk=5, name="kept", slug="kept")
    batches = [
        (Mailbox, [{"id": 1, "is_placeholder": True}, {"id": 2, "is_placeholder": True}]),
        (Tag, [{"id": 5, "name": "replaced?", "is_placeholder": True}]),
        (Tag, []),  # nothing to write: left out
        (Customer, [{"id": 7, "first_name": "Ann", "emails": ["a@x.io"], "is_placeholder": True}]),
    ]
    with CaptureQueriesContext(connection) as queries:
        upsert_many(batches, update=())
    assert len(queries) == (1 if connection.vendor == "postgresql" else 3)
    assert sorted(Mailbox.objects.values_list("id", "is_placeholder")) == [(1, True), (2, True)]
    assert Tag.objects.get(pk=5).name == "kept"  # update=(): existing rows untouched
    assert Customer.objects.get(pk=7).emails == ["a@x.io"]


def _inserts_into(queries, model) -> list[str]:
    table = connection.ops.quote_name(model._meta.db_table)
    # executemany is logged as "N times: <sql>".
    statements = [q["sql"].split(" times: ", 1)[-1] for q in queries]
    return [sql for sql in statements if sql.startswith(f"INSERT INTO {table} ")]


def test_rows_the_transaction_saw_absent_are_plain_inserts_on_sqlite_only():
    """New rows skip ON CONFLICT on SQLite (its upsert keeps a statement journal per row
    on tables with foreign keys); PostgreSQL keeps it, as a concurrent insert may race."""
    with CaptureQueriesContext(connection) as queries:
        upsert_conversations([conversation(1, threads=[11, 12])])
    for model in (Conversation, Thread):
        (sql,) = _inserts_into(queries, model)
        assert ("ON CONFLICT" in sql) == (connection.vendor != "sqlite")
    # Rows that exist (here: a newer version of the same conversation) are upserted.
    with CaptureQueriesContext(connection) as queries:
        upsert_conversations(
            [conversation(1, threads=[11, 12, 13], updated="2024-01-01T11:00:00Z")]
        )
    for model in (Conversation, Thread):
        statements = _inserts_into(queries, model)
        assert any("ON CONFLICT" in sql for sql in statements)
    assert sorted(Thread.objects.values_list("id", flat=True)) == [11, 12, 13]


def test_an_absent_row_that_exists_after_all_is_never_silently_skipped():
    """`absent=True` is the caller's promise. Broken on SQLite, the insert fails loudly;
    on PostgreSQL (where a concurrent insert can break it) the upsert resolves it."""
    from django.db import IntegrityError, transaction

    Tag.objects.create(pk=6, name="six", slug="six")
    row = {"id": 6, "name": "again", "slug": "again"}
    if connection.vendor == "sqlite":
        with pytest.raises(IntegrityError), transaction.atomic():
            upsert_rows(Tag, [row], update=None, absent=True)
        assert Tag.objects.get(pk=6).name == "six"
    else:
        upsert_rows(Tag, [row], update=None, absent=True)
        assert Tag.objects.get(pk=6).name == "again"


@pytest.mark.parametrize("native", [True, False], ids=["native", "orm-fallback"])
def test_strings_longer_than_their_column_are_clipped(monkeypatch, native):
    """PostgreSQL refuses a too-long varchar and SQLite would keep it: every path clips,
    including bulk_create for databases without the native INSERT ... ON CONFLICT path."""
    if not native:
        monkeypatch.setattr("helpscout_integration.sync.bulk._NATIVE", ())
    long_name, fine = "n" * 300, "f" * 20
    upsert_rows(
        Customer,
        [{"id": 1, "first_name": long_name, "emails": []}, {"id": 2, "first_name": fine}],
        update=None,
    )
    upsert_rows(Customer, [{"id": 2, "first_name": long_name}], update=None)  # on conflict
    limit = Customer._meta.get_field("first_name").max_length
    names = dict(Customer.objects.values_list("id", "first_name"))
    assert names == {1: "n" * limit, 2: "n" * limit}


@pytest.mark.parametrize(
    "moment",
    [
        datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC),
        datetime(2024, 1, 2, 3, 4, 5, 123, tzinfo=UTC),
        datetime(2024, 1, 2, 5, 4, 5, tzinfo=timezone(timedelta(hours=2))),
    ],
    ids=["utc", "microseconds", "other-offset"],
)
def test_datetimes_are_stored_as_django_stores_them(moment):
    """ORM lookups by time must find rows the bulk path wrote (on SQLite, stored text
    has to be exactly Django's)."""
    upsert_rows(Tag, [{"id": 1, "name": "t", "slug": "t", "hs_updated_at": moment}], update=None)
    assert Tag.objects.filter(hs_updated_at=moment).exists()
    assert Tag.objects.filter(hs_updated_at__gte=moment, hs_updated_at__lte=moment).count() == 1
    assert Tag.objects.get(pk=1).hs_updated_at == moment


def test_pipelined_reads_see_the_writes_sent_before_them():
    with transaction.atomic(), pipelined():
        upsert_rows(Mailbox, [{"id": 7, "name": "Support", "is_placeholder": False}], update=None)
        update_where_in(Mailbox, [7], {"name": "Billing"})
        assert values_where_in(Mailbox, "id", [7], ("name",)) == [("Billing",)]
        assert Mailbox.objects.get(pk=7).name == "Billing"  # through Django's cursor too
    assert Mailbox.objects.get(pk=7).name == "Billing"


def test_a_write_that_fails_in_a_pipeline_raises_and_its_transaction_rolls_back():
    """On PostgreSQL the failing INSERT is only sent; its error must still come out (at the
    next read or at the end of the block), as Django's exception, and lose nothing else."""
    upsert_conversations([conversation(1, threads=[11])])
    with pytest.raises(IntegrityError), transaction.atomic(), pipelined():  # noqa: PT012
        upsert_rows(Mailbox, [{"id": 8, "name": "Sales", "is_placeholder": False}], update=None)
        # A thread needs its conversation: NOT NULL.
        upsert_rows(Thread, [{"id": 99, "conversation_id": None, "type": "note"}], update=None)
        upsert_rows(Mailbox, [{"id": 9, "name": "Later", "is_placeholder": False}], update=None)
    assert not Mailbox.objects.filter(pk__in=[8, 9]).exists()
    assert list(Thread.objects.values_list("id", flat=True)) == [11]
    # The connection is usable afterwards.
    upsert_rows(Mailbox, [{"id": 8, "name": "Sales", "is_placeholder": False}], update=None)
    assert Mailbox.objects.get(pk=8).name == "Sales"
