"""The mirror writer: bulk, constant queries, placeholders, newest state wins, marks."""

import itertools
from datetime import UTC, datetime

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from helpscout_integration.exceptions import PayloadError
from helpscout_integration.models import (
    Agent,
    Conversation,
    Customer,
    Mailbox,
    SatisfactionRating,
    Tag,
    Thread,
)
from helpscout_integration.signals import conversation_synced
from helpscout_integration.sync.upsert import (
    delete_tag,
    mark_conversation_deleted,
    mark_customer_deleted,
    upsert_agents,
    upsert_conversations,
    upsert_customers,
    upsert_mailboxes,
    upsert_rating,
    upsert_tags,
)

from .payloads import conversation

pytestmark = pytest.mark.django_db


def test_first_write_creates_conversation_threads_tags_and_placeholders():
    result = upsert_conversations([conversation(1, assignee=7, tags=[3, 4], threads=[11, 12])])
    assert (result.created, result.updated, result.unchanged) == (1, 0, 0)
    conv = Conversation.objects.get(pk=1)
    assert (conv.subject, conv.mailbox_id, conv.customer_id, conv.assignee_id) == (
        "Help",
        10,
        100,
        7,
    )
    assert sorted(conv.tags.values_list("id", flat=True)) == [3, 4]
    assert list(conv.threads.values_list("id", flat=True)) == [11, 12]
    assert Mailbox.objects.get(pk=10).is_placeholder
    customer = Customer.objects.get(pk=100)
    assert customer.is_placeholder and customer.email == "c100@example.com"
    assert Agent.objects.get(pk=7).is_placeholder
    assert Tag.objects.get(pk=3).name == "tag-3"


def test_same_payload_again_is_unchanged():
    upsert_conversations([conversation(1, threads=[11])])
    result = upsert_conversations([conversation(1, threads=[11])])
    assert (result.created, result.updated, result.unchanged) == (0, 0, 1)


def test_placeholders_never_overwrite_real_rows():
    upsert_mailboxes(
        [
            {
                "id": 10,
                "name": "Support",
                "email": "s@example.com",
                "updatedAt": "2024-01-01T00:00:00Z",
            }
        ]
    )
    upsert_customers(
        [
            {
                "id": 100,
                "firstName": "Real",
                "lastName": "Name",
                "_embedded": {"emails": [{"value": "real@example.com"}]},
            }
        ]
    )
    upsert_conversations([conversation(1)])
    assert Mailbox.objects.get(pk=10).name == "Support"
    customer = Customer.objects.get(pk=100)
    assert (customer.first_name, customer.email, customer.is_placeholder) == (
        "Real",
        "real@example.com",
        False,
    )


def test_real_payload_fills_a_placeholder():
    upsert_conversations([conversation(1, assignee=7)])
    result = upsert_agents([{"id": 7, "firstName": "Ana", "lastName": "A", "email": "a@x.io"}])
    assert result.created == 1
    agent = Agent.objects.get(pk=7)
    assert (agent.first_name, agent.is_placeholder) == ("Ana", False)


VERSIONS = [
    conversation(1, updated="2024-01-01T10:00:00Z", subject="v1", tags=[1], threads=[11]),
    conversation(1, updated="2024-01-01T11:00:00Z", subject="v2", tags=[1, 2], threads=[11, 12]),
    conversation(
        1,
        updated="2024-01-01T12:00:00Z",
        subject="v3",
        status="closed",
        tags=[2],
        threads=[11, 12, 13],
    ),
]


@pytest.mark.parametrize("order", list(itertools.permutations(range(3))))
def test_out_of_order_writes_converge_on_the_newest(order):
    for index in order:
        upsert_conversations([VERSIONS[index]], source="webhook")
    conv = Conversation.objects.get(pk=1)
    assert (conv.subject, conv.status) == ("v3", "closed")
    assert list(conv.tags.values_list("id", flat=True)) == [2]
    assert list(conv.threads.values_list("id", flat=True)) == [11, 12, 13]
    assert conv.hs_updated_at == datetime(2024, 1, 1, 12, tzinfo=UTC)


def test_older_payload_is_reported_stale():
    upsert_conversations([VERSIONS[2]])
    result = upsert_conversations([VERSIONS[0]])
    assert (result.updated, result.unchanged, result.stale) == (0, 1, 1)


def test_equal_time_with_different_content_is_written():
    # Help Scout's timestamps have one-second resolution: two changes can share one.
    upsert_conversations([conversation(1, subject="first")])
    result = upsert_conversations([conversation(1, subject="second")])
    assert result.updated == 1
    assert Conversation.objects.get(pk=1).subject == "second"


def test_the_same_version_with_threads_completes_one_mirrored_without_them():
    # A webhook body without threads, then a fetch of that same version with its threads.
    full = conversation(1, threads=[11, 12])
    upsert_conversations([{**full, "_embedded": {}}])
    assert not Thread.objects.exists()
    result = upsert_conversations([full])
    assert (result.updated, result.unchanged) == (1, 0)
    assert sorted(Thread.objects.values_list("id", flat=True)) == [11, 12]
    again = upsert_conversations([full])
    assert (again.updated, again.unchanged) == (0, 1)


def test_threads_missing_from_the_embedded_list_are_removed_and_absent_list_keeps_them():
    upsert_conversations([conversation(1, threads=[11, 12])])
    upsert_conversations([conversation(1, updated="2024-01-02T00:00:00Z", threads=[12])])
    assert list(Thread.objects.values_list("id", flat=True)) == [12]
    upsert_conversations([conversation(1, updated="2024-01-03T00:00:00Z")])  # no threads
    assert list(Thread.objects.values_list("id", flat=True)) == [12]


def test_an_older_customer_reply_delivered_late_keeps_the_newest_thread():
    """Customer replies move customerWaitingSince, not userUpdatedAt: both deliveries
    carry the same userUpdatedAt, and the older one must not win (issue 15)."""
    newer = conversation(
        1,
        updated="2024-01-01T10:00:00Z",
        customerWaitingSince={"time": "2024-01-01T12:00:00Z", "latestReplyFrom": "customer"},
        threads=[13, 12, 11],
        thread_times={13: "2024-01-01T12:00:00Z", 12: "2024-01-01T11:00:00Z"},
    )
    older = conversation(
        1,
        updated="2024-01-01T10:00:00Z",
        customerWaitingSince={"time": "2024-01-01T11:00:00Z", "latestReplyFrom": "customer"},
        threads=[12, 11],
        thread_times={12: "2024-01-01T11:00:00Z"},
    )
    upsert_conversations([newer])
    result = upsert_conversations([older])
    assert result.stale == 1
    assert sorted(Thread.objects.values_list("id", flat=True)) == [11, 12, 13]
    row = Conversation.objects.get(pk=1)
    assert row.customer_waiting_since == datetime(2024, 1, 1, 12, tzinfo=UTC)
    assert row.hs_updated_at == datetime(2024, 1, 1, 12, tzinfo=UTC)


def test_an_incomplete_newer_payload_removes_no_thread():
    upsert_conversations([conversation(1, threads=[11, 12])])
    upsert_conversations(
        [conversation(1, updated="2024-01-02T00:00:00Z", threads=[12], thread_count=2)]
    )
    assert sorted(Thread.objects.values_list("id", flat=True)) == [11, 12]


def test_a_newer_complete_payload_keeps_threads_created_after_it():
    """A thread the mirror got from a later source than the payload cannot be "gone"."""
    upsert_conversations(
        [conversation(1, threads=[11, 12], thread_times={12: "2024-01-05T00:00:00Z"})]
    )
    later_write = conversation(1, updated="2024-01-06T00:00:00Z", threads=[11])
    later_write["_embedded"]["threads"][0]["createdAt"] = "2024-01-01T09:00:00Z"
    Conversation.objects.filter(pk=1).update(hs_updated_at=datetime(2024, 1, 1, tzinfo=UTC))
    Thread.objects.filter(pk=12).update(created_at=datetime(2024, 1, 7, tzinfo=UTC))
    upsert_conversations([later_write])
    assert sorted(Thread.objects.values_list("id", flat=True)) == [11, 12]


def test_a_complete_payload_removes_only_the_threads_made_before_its_version():
    """The cut is the payload's own version: a missing thread made before it was deleted
    in Help Scout; one made a second after it (the mirror holds it from another source,
    here an agent's note written from the admin) is newer than the payload could know."""
    upsert_conversations(
        [conversation(1, threads=[12, 11], thread_times={12: "2024-01-03T00:00:00Z"})]
    )
    Thread.objects.create(
        id=13, conversation_id=1, type="note", created_at=datetime(2024, 1, 4, 0, 0, 1, tzinfo=UTC)
    )
    upsert_conversations([conversation(1, updated="2024-01-04T00:00:00Z", threads=[11])])
    assert sorted(Thread.objects.values_list("id", flat=True)) == [11, 13]


def test_an_older_payload_changes_nothing_not_even_threads():
    """A thread deleted in Help Scout since must not come back with a late delivery."""
    upsert_conversations([conversation(1, updated="2024-01-03T00:00:00Z", subject="new")])
    result = upsert_conversations([conversation(1, subject="old", threads=[11])])
    assert not Thread.objects.exists()
    assert Conversation.objects.get(pk=1).subject == "new"
    assert result.stale == 1


def test_tags_given_by_name_resolve_against_mirrored_tags():
    upsert_tags([{"id": 5, "name": "Refund", "slug": "refund"}])
    payload = conversation(1)
    payload["tags"] = ["refund", "unknown"]
    upsert_conversations([payload])
    assert list(Conversation.objects.get(pk=1).tags.values_list("id", flat=True)) == [5]


def test_duplicate_ids_in_one_batch_keep_the_newest():
    result = upsert_conversations([VERSIONS[2], VERSIONS[0], VERSIONS[1]])
    assert result.created == 1
    assert Conversation.objects.get(pk=1).subject == "v3"


def test_deleted_conversation_is_marked_kept_and_not_revived_by_an_older_payload():
    upsert_conversations([conversation(1, threads=[11])])
    assert mark_conversation_deleted(1, deleted_at=datetime(2024, 1, 5, tzinfo=UTC))
    assert not mark_conversation_deleted(1)  # already marked
    conv = Conversation.objects.get(pk=1)
    assert conv.is_deleted and conv.deleted_at == datetime(2024, 1, 5, tzinfo=UTC)
    assert conv.threads.count() == 1
    upsert_conversations([conversation(1, updated="2024-01-04T00:00:00Z", subject="late")])
    assert Conversation.objects.get(pk=1).is_deleted
    # Help Scout shows it again with a newer modification time: it was restored.
    upsert_conversations([conversation(1, updated="2024-01-06T00:00:00Z", subject="back")])
    conv = Conversation.objects.get(pk=1)
    assert (conv.is_deleted, conv.subject) == (False, "back")


def test_deleting_an_unknown_conversation_leaves_a_tombstone():
    mark_conversation_deleted(9, deleted_at=datetime(2024, 1, 5, tzinfo=UTC))
    upsert_conversations([conversation(9, updated="2024-01-01T00:00:00Z")])
    conv = Conversation.objects.get(pk=9)
    assert conv.is_deleted and conv.is_placeholder


def test_state_deleted_in_a_payload_marks_deleted():
    upsert_conversations([conversation(1)])
    upsert_conversations([conversation(1, updated="2024-01-02T00:00:00Z", state="deleted")])
    assert Conversation.objects.get(pk=1).is_deleted


def test_merged_conversation_points_at_the_survivor():
    upsert_conversations([conversation(1, mergedInto=2)])
    merged = Conversation.objects.get(pk=1)
    assert merged.merged_into_id == 2 and merged.merged_into.is_placeholder
    upsert_conversations([conversation(2, subject="survivor")])
    merged.refresh_from_db()
    assert merged.merged_into.subject == "survivor" and not merged.merged_into.is_placeholder
    # A later payload without merge info keeps the link.
    upsert_conversations([conversation(1, updated="2024-02-01T00:00:00Z", status="closed")])
    assert Conversation.objects.get(pk=1).merged_into_id == 2


def _batch(first, size):
    batch = [
        conversation(
            i,
            customer=100 + i,
            assignee=i % 3 + 1,
            tags=[2, 3],
            threads=[i * 10 + 1, i * 10 + 2, i * 10 + 3],
        )
        for i in range(first, first + size)
    ]
    batch[0]["tags"].append("known")  # one tag given by name only
    return batch


def _queries(payloads):
    with CaptureQueriesContext(connection) as context:
        upsert_conversations(payloads)
    return len(context)


def test_constant_number_of_queries_per_batch():
    """A page of 25 costs what a page of 1 costs: no per-row queries."""
    upsert_tags([{"id": 1, "name": "known"}])
    small, page = _batch(1, 1), _batch(100, 25)
    # The same fixed budget for 1 or 25 conversations (75 threads); SQLite may split one
    # bulk statement in two for its 999-parameter limit, which is still not per-row.
    assert _queries(small) <= 14 and _queries(page) <= 14
    for payload in small + page:  # second pass: every row exists and is newer
        payload["userUpdatedAt"] = "2024-03-01T00:00:00Z"
    assert _queries(small) <= 14 and _queries(page) <= 14
    assert Thread.objects.count() == 26 * 3
    assert Conversation.tags.through.objects.count() == 26 * 2 + 2  # each batch tags one by name


def test_inside_an_open_transaction_the_writer_adds_no_savepoint():
    """A sync page group writes many pages in one transaction: a savepoint per page would
    make SQLite copy every database page it touches to a sub-journal first."""
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        upsert_conversations([conversation(1, threads=[11], tags=[2])])
        upsert_customers([{"id": 100, "firstName": "Cus", "emails": [{"value": "c@x.io"}]}])
    assert [q["sql"] for q in queries if "SAVEPOINT" in q["sql"].upper()] == []
    assert Thread.objects.filter(conversation_id=1).count() == 1


def test_conversation_synced_is_sent_after_commit(django_capture_on_commit_callbacks):
    received = []

    def receiver(sender, conversation, created, source, **kwargs):
        received.append((conversation.pk, created, source))

    conversation_synced.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            upsert_conversations([conversation(1), conversation(2)], source="webhook")
        assert received == []  # nothing before commit
        for callback in callbacks:
            callback()
        assert received == [(1, True, "webhook"), (2, True, "webhook")]
        received.clear()
        with django_capture_on_commit_callbacks(execute=True):
            upsert_conversations([conversation(1, subject="changed")], source="sync")
            upsert_conversations([conversation(2)], source="sync")  # unchanged: no signal
        assert received == [(1, False, "sync")]
    finally:
        conversation_synced.disconnect(receiver)


def test_an_invalid_payload_writes_nothing_unless_skipped():
    with pytest.raises(PayloadError, match="#1"):
        upsert_conversations([conversation(1), {"id": 2}])
    assert not Conversation.objects.exists()
    result = upsert_conversations([conversation(1), {"id": 2}], skip_invalid=True)
    assert (result.created, result.invalid) == (1, 1)


@pytest.mark.parametrize("delete_first", [True, False])
def test_a_deleted_customer_stays_deleted_whatever_the_delivery_order(delete_first):
    payload = {"id": 9, "firstName": "Gone", "updatedAt": "2024-01-01T00:00:00Z"}
    if delete_first:
        assert mark_customer_deleted(9)
        upsert_customers([payload])
    else:
        upsert_customers([payload])
        assert mark_customer_deleted(9)
    assert Customer.objects.get(pk=9).is_deleted
    assert not mark_customer_deleted(9)


def test_long_strings_are_clipped_to_the_column():
    upsert_conversations([conversation(1, subject="x" * 1500)])
    assert len(Conversation.objects.get(pk=1).subject) == 1000


def test_customers_keep_all_emails_and_can_be_marked_deleted():
    upsert_customers(
        [
            {
                "id": 5,
                "firstName": "A",
                "updatedAt": "2024-01-01T00:00:00Z",
                "_embedded": {"emails": [{"value": "B@x.io"}, {"value": "c@x.io"}]},
            }
        ]
    )
    customer = Customer.objects.get(pk=5)
    assert (customer.email, customer.emails) == ("b@x.io", ["b@x.io", "c@x.io"])
    assert mark_customer_deleted(5) and Customer.objects.get(pk=5).is_deleted


def test_delete_tag_unlinks_conversations():
    upsert_conversations([conversation(1, tags=[3, 4])])
    assert delete_tag(3) and not delete_tag(3)
    assert list(Conversation.objects.get(pk=1).tags.values_list("id", flat=True)) == [4]


def test_rating_with_placeholders():
    payload = {
        "id": 9,
        "rating": "Great",
        "ticketId": 77,
        "threadId": 5,
        "customer": {"id": 8, "firstName": "R", "emails": [{"value": "R@x.io"}]},
        "createdAt": "2024-01-01T00:00:00Z",
    }
    assert upsert_rating(payload).created == 1
    rating = SatisfactionRating.objects.get(pk=9)
    assert (rating.rating, rating.conversation_id, rating.customer_id) == ("great", 77, 8)
    assert Conversation.objects.get(pk=77).is_placeholder
    assert Customer.objects.get(pk=8).email == "r@x.io"
    assert upsert_rating(payload).unchanged == 1


def test_threads_moving_to_another_conversation_record_a_merge():
    """Help Scout merges by moving the source's threads into the survivor."""
    upsert_conversations([conversation(1, threads=[11, 12]), conversation(2, threads=[21])])
    upsert_conversations([conversation(2, updated="2024-01-02T00:00:00Z", threads=[11, 12, 21])])
    assert Conversation.objects.get(pk=1).merged_into_id == 2
    assert Conversation.objects.get(pk=2).merged_into_id is None
    assert sorted(Conversation.objects.get(pk=2).threads.values_list("id", flat=True)) == [
        11,
        12,
        21,
    ]


def test_a_single_moved_thread_is_not_a_merge():
    upsert_conversations([conversation(1, threads=[11, 12]), conversation(2, threads=[21])])
    upsert_conversations([conversation(2, updated="2024-01-02T00:00:00Z", threads=[12, 21])])
    assert Conversation.objects.get(pk=1).merged_into_id is None
