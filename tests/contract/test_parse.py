"""(a) Help Scout's documented objects, parsed by payloads/: every value a model holds
arrives, none is lost or turned into something else."""

from datetime import UTC, datetime

from helpscout_integration.payloads import (
    parse_conversation,
    parse_customer,
    parse_mailbox,
    parse_rating,
    parse_tag,
    parse_user,
)
from helpscout_integration.payloads.docs import parse_docs_article

from .fixtures import conversation, directory, other


def at(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00")).replace(tzinfo=UTC)


def test_conversation_with_every_thread_type():
    data = conversation.CONVERSATION
    parsed = parse_conversation(data)
    fields = parsed.fields
    assert parsed.id == data["id"]
    assert (fields["number"], fields["subject"], fields["status"], fields["state"]) == (
        3001,
        "Where is my order?",
        "pending",
        "published",
    )
    assert (fields["mailbox_id"], fields["folder_id"], fields["type"]) == (85, 11, "email")
    assert parsed.customer.id == 1201 and parsed.assignee.id == 9
    assert fields["customer_id"] == 1201 and fields["assignee_id"] == 9
    assert fields["preview"] == data["preview"] and fields["thread_count"] == 6
    assert (fields["source_type"], fields["source_via"]) == ("email", "customer")
    assert fields["custom_fields"] == data["customFields"]
    assert fields["created_at"] == at(data["createdAt"])
    assert fields["closed_at"] is None
    assert fields["customer_waiting_since"] == at(data["customerWaitingSince"]["time"])
    assert [t.name for t in parsed.tags] == ["shipping"]
    # The closer sentinel of an open conversation is no person anywhere in the result.
    assert 0 not in {parsed.customer.id, parsed.assignee.id}
    by_type = {t.fields["type"]: t for t in parsed.threads}
    assert set(by_type) == set(conversation.THREADS)
    for kind, source in conversation.THREADS.items():
        thread = by_type[kind].fields
        assert thread["id"] == source["id"] and thread["conversation_id"] == data["id"]
        assert thread["body"] == source["body"], kind
        assert (thread["status"], thread["state"]) == ("active", "published")
        assert thread["action_type"] == source["action"]["type"]
        assert thread["action_text"] == source["action"]["text"]
        assert thread["created_by_type"] == source["createdBy"]["type"]
        assert thread["created_by_id"] == source["createdBy"]["id"]
        assert thread["created_by_email"] == source["createdBy"]["email"]
        assert thread["customer_id"] == 1201
        assert thread["to"] == source["to"] and thread["created_at"] == at(source["createdAt"])
    assert by_type["lineitem"].fields["action_text"] == "Ana marked as Pending"


def test_customer_with_every_embedded_list():
    data = directory.CUSTOMER
    fields = parse_customer(data).fields
    assert (fields["first_name"], fields["last_name"]) == ("Vernon", "Bear")
    assert fields["email"] == "bear@acme.example" and fields["emails"] == ["bear@acme.example"]
    assert fields["phones"] == [{"value": "+1 555 0199", "type": "work"}]
    assert (fields["organization_name"], fields["job_title"]) == ("Acme", "CEO")
    assert fields["photo_url"] == data["photoUrl"] and fields["background"] == data["background"]
    assert "Chicago" in fields["location"]
    assert fields["properties"]
    assert fields["created_at"] == at(data["createdAt"])
    assert fields["updated_at"] == at(data["updatedAt"])
    # What no column holds (chats, social profiles, websites) stays in `data`.
    for key in ("chats", "social_profiles", "websites", "address"):
        assert fields["data"]["_embedded"][key] == data["_embedded"][key]


def test_user_mailbox_and_tag():
    user = parse_user(directory.USER).fields
    assert (user["first_name"], user["last_name"], user["email"]) == (
        "Ana",
        "Agent",
        "ana@example.com",
    )
    assert (user["role"], user["type"], user["timezone"]) == ("owner", "user", "America/New_York")
    assert user["photo_url"] == directory.USER["photoUrl"]
    mailbox = parse_mailbox(directory.MAILBOX).fields
    assert (mailbox["name"], mailbox["slug"], mailbox["email"]) == (
        "Support",
        "1a2b3c4d",
        "support@example.com",
    )
    tag = parse_tag(directory.TAG).fields
    assert (tag["name"], tag["slug"], tag["color"]) == ("shipping", "shipping", "#929499")


def test_v2_rating():
    parsed = parse_rating(other.RATING)
    assert (parsed.id, parsed.conversation_id, parsed.mailbox_id) == (5434, 1560011, 85)
    assert parsed.customer.id == 1201 and parsed.agent.id == 9
    assert parsed.fields["thread_id"] == 502
    assert (parsed.fields["rating"], parsed.fields["comments"]) == ("not_good", "Took too long")
    assert parsed.fields["created_at"] == datetime(2024, 3, 17, 10, 20, 30, tzinfo=UTC)


def test_docs_article_and_search_item():
    article = parse_docs_article(other.DOCS_ARTICLE)
    assert article["name"] == "Reset your password" and article["number"] == 12
    assert article["collection_id"] == other.DOCS_ARTICLE["collectionId"]
    assert article["public_url"] == other.DOCS_ARTICLE["publicUrl"]
    assert article["category_ids"] == other.DOCS_ARTICLE["categories"]
    assert article["slug"] == "reset-your-password"
    item = parse_docs_article(other.DOCS_SEARCH_ITEM)
    assert item["category_ids"] == other.DOCS_SEARCH_ITEM["categoryIds"]
    assert item["public_url"] == other.DOCS_SEARCH_ITEM["url"]  # not the admin docsUrl
