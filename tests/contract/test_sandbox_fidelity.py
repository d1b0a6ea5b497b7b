"""Where the sandbox answered unlike Help Scout (issue 31's audit), each pinned to the
Help Scout page or official PHP SDK file that says what Help Scout does. Every test here
failed on the sandbox before the fix."""

import re
import uuid

import httpx
import pytest

from helpscout_integration.payloads import parse_rating
from helpscout_integration.sandbox import Sandbox

from .fixtures import other
from .shape import differences


@pytest.fixture(scope="module")
def sb():
    with Sandbox(seed="demo", rate_limit_per_minute=None, write_burst=None) as sandbox:
        yield sandbox


# -- custom fields: SDK src/Mailboxes/Entry/Field.php (TYPE_DROPDOWN = 'dropdown'),
# tests/Payloads/MailboxPayloads.php getFields; SDK tests/Conversations/CustomFieldTest.php
# ('text' => 'Premium' beside the option id); .../mailbox-api/endpoints/mailboxes/mailbox-fields


def test_mailbox_field_types_are_lower_case_and_dropdown_options_listed(api, sb):
    mailbox = min(sb.store.mailboxes)
    fields = api.get(f"/mailboxes/{mailbox}/fields").json()["_embedded"]["fields"]
    assert all(f["type"] == f["type"].lower() for f in fields)
    dropdown = next(f for f in fields if f["type"] == "dropdown")
    assert [o["label"] for o in dropdown["options"]] == ["Free", "Basic", "Pro"]


def test_a_dropdowns_text_is_the_label_of_its_option(api, sb):
    mailbox = min(sb.store.mailboxes)
    fields = api.get(f"/mailboxes/{mailbox}/fields").json()["_embedded"]["fields"]
    dropdown = next(f for f in fields if f["type"] == "dropdown")
    pro = dropdown["options"][2]
    made = sb.create_conversation(mailbox_id=mailbox, subject="Plan check")
    put = api.put(
        f"/conversations/{made['id']}/fields",
        json={"fields": [{"id": dropdown["id"], "value": str(pro["id"])}]},
    )
    assert put.status_code == 204
    served = api.get(f"/conversations/{made['id']}").json()["customFields"]
    assert served == [
        {"id": dropdown["id"], "name": "Plan", "value": str(pro["id"]), "text": "Pro"}
    ]


# -- closedBy: .../mailbox-api/endpoints/conversations/get ("closedBy: id of the user who
# closed the conversation")


def test_closed_by_is_the_user_who_closed_it_not_the_assignee(api, sb):
    owner, other_user = sorted(sb.store.users)[:2]
    made = sb.create_conversation(subject="Closing", assignee_id=owner)
    sb.add_thread(made["id"], type="reply", text="Done here", user_id=other_user, status="closed")
    served = api.get(f"/conversations/{made['id']}").json()
    assert served["status"] == "closed"
    assert served["closedBy"] == served["closedByUser"]["id"] == other_user


def test_closed_through_the_api_unassigned_names_the_api_user(api, sb):
    made = sb.create_conversation(subject="Unassigned close")
    patch = api.patch(
        f"/conversations/{made['id']}", json={"op": "replace", "path": "/status", "value": "closed"}
    )
    assert patch.status_code == 204
    me = api.get("/users/me").json()["id"]
    assert api.get(f"/conversations/{made['id']}").json()["closedBy"] == me


# -- strictness: issue 31's audit of Help Scout's answers; .../conversations/list
# (modifiedSince "YYYY-MM-DDThh:mm:ssZ", embed=threads, customFieldsByIds with mailbox)


@pytest.mark.parametrize(
    "since", ["2024-01-01T00:00:00.000Z", "2024-01-01T00:00:00", "2024-01-01T00:00:00+00:00"]
)
def test_modified_since_must_be_whole_seconds_in_utc_with_z(api, since):
    for path in ("/conversations", "/customers"):
        refused = api.get(path, params={"modifiedSince": since})
        assert refused.status_code == 400, (path, since)
        assert refused.json()["_embedded"]["errors"][0]["path"] == "modifiedSince"
    assert api.get("/conversations", params={"modifiedSince": "2024-01-01T00:00:00Z"}).is_success


def test_an_unknown_embed_is_refused(api, sb):
    assert api.get("/conversations", params={"embed": "bogus"}).status_code == 400
    one = min(sb.store.conversations)
    assert api.get(f"/conversations/{one}", params={"embed": "bogus"}).status_code == 400
    assert api.get(f"/conversations/{one}", params={"embed": "threads"}).status_code == 200


# -- ratings: .../mailbox-api/endpoints/ratings/get (fixture other.RATING)


def test_get_rating_has_help_scouts_shape_and_links_that_resolve(api, sb):
    made = sb.create_conversation(subject="Rate me")
    user_id = min(sb.store.users)
    sb.add_thread(made["id"], type="reply", text="Fixed", user_id=user_id)
    rating = sb.rate_conversation(made["id"], "great", "Quick")
    served = api.get(f"/ratings/{rating['id']}")
    assert served.status_code == 200
    body = served.json()
    assert differences(other.RATING, body) == []
    assert body["conversationNumber"] == sb.store.conversations[made["id"]].number
    assert body["customer"]["firstName"] is not None and "first" not in body["customer"]
    for name, link in body["_links"].items():
        assert api.get(link["href"]).status_code == 200, name
    parsed = parse_rating(body)  # our parser reads Help Scout's shape
    assert parsed.conversation_id == made["id"] and parsed.agent.id == user_id
    assert api.get("/ratings/999999999").status_code == 404


# -- Docs: .../docs-api/objects/article-search/ (docsUrl relative, preview = the first 160
# characters of the text with HTML stripped) and .../docs-api/ ("All responses from the API
# contain a Correlation-Id header", a UUID)


def test_docs_search_docs_url_is_relative_and_preview_keeps_words_apart(docs, sb):
    items = docs.get("/search/articles", params={"query": "export"}).json()["articles"]["items"]
    assert items
    for item in items:
        assert item["docsUrl"] == f"/docs/{item['collectionId']}/article/{item['id']}"
        article = sb.store.docs_articles[item["id"]]
        # every word of the preview is a word of the article: nothing glued together
        text_words = set(re.findall(r"\w+", re.sub(r"<[^>]+>", " ", article.text)))
        preview_words = re.findall(r"\w+", item["preview"])
        if len(item["preview"]) == 160:  # "the first 160 characters" may cut the last word
            preview_words = preview_words[:-1]
        assert set(preview_words) <= text_words
        assert len(item["preview"]) <= 160


def test_every_docs_response_has_a_correlation_id(docs):
    for response in (
        docs.get("/collections"),
        docs.get("/articles/ffffffffffffffffffffffff"),
        httpx.get(str(docs.base_url) + "/collections"),  # refused: no key
    ):
        uuid.UUID(response.headers["Correlation-Id"])
