"""`api/me/conversations/`: a user sees only their own conversations and public threads."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from helpscout_integration.models import Conversation, Customer

LIST = "helpscout:my-conversation-list"
DETAIL = "helpscout:my-conversation-detail"


@pytest.mark.django_db
def test_anonymous_users_are_refused():
    response = APIClient().get(reverse(LIST))
    assert response.status_code in (401, 403)


@pytest.mark.django_db
def test_a_user_lists_only_their_own_conversations(mirrored, make_user, api_as):
    ada = make_user("ada")
    make_user("bob")
    mine = mirrored("ada@example.com", subject="My billing question")
    mirrored("bob@example.com", subject="Bob's secret")

    response = api_as(ada).get(reverse(LIST))

    assert response.status_code == 200
    assert [c["id"] for c in response.data["results"]] == [mine]
    assert response.data["results"][0]["subject"] == "My billing question"
    assert "preview" not in response.data["results"][0]  # a preview can quote a note


@pytest.mark.django_db
def test_another_users_conversation_is_a_404(mirrored, make_user, api_as):
    make_user("ada")
    bob = make_user("bob")
    adas = mirrored("ada@example.com")

    assert api_as(bob).get(reverse(DETAIL, args=[adas])).status_code == 404
    reply = api_as(bob).post(
        reverse("helpscout:my-conversation-reply", args=[adas]), {"text": "hi"}
    )
    assert reply.status_code == 404


@pytest.mark.django_db
def test_conversations_of_any_of_the_customers_emails_are_the_users(mirrored, make_user, api_as):
    ada = make_user("ada", email="Ada.Work@Example.com")
    conversation_id = mirrored("ada@home.example")
    customer = Conversation.objects.get(pk=conversation_id).customer
    Customer.objects.filter(pk=customer.pk).update(
        emails=["ada@home.example", "ada.work@example.com"]
    )
    # A customer whose email merely contains hers is not hers.
    mirrored("notada.work@example.com")

    response = api_as(ada).get(reverse(LIST))

    assert [c["id"] for c in response.data["results"]] == [conversation_id]


@pytest.mark.django_db
def test_notes_and_line_items_never_reach_the_user(mirrored, make_user, api_as, helpscout_sandbox):
    ada = make_user("ada")
    conversation_id = mirrored(
        "ada@example.com",
        threads=[
            {"type": "customer", "text": "Please help"},
            {"type": "note", "text": "INTERNAL: customer is on a watch list"},
            {"type": "reply", "text": "Happy to help!"},
        ],
    )
    Conversation.objects.get(pk=conversation_id).threads.create(
        id=999_999, type="lineitem", action_text="Assigned to Jane", body="moved"
    )

    detail = api_as(ada).get(reverse(DETAIL, args=[conversation_id]))

    assert detail.status_code == 200
    texts = [t["text"] for t in detail.data["threads"]]
    assert texts == ["Please help", "Happy to help!"]
    assert [t["from_customer"] for t in detail.data["threads"]] == [True, False]
    assert "INTERNAL" not in str(detail.content) and "Assigned to" not in str(detail.content)
    listing = api_as(ada).get(reverse(LIST))
    assert "INTERNAL" not in str(listing.content)


@pytest.mark.django_db
def test_deleted_and_spam_conversations_are_hidden(mirrored, make_user, api_as):
    ada = make_user("ada")
    kept = mirrored("ada@example.com")
    Conversation.objects.filter(pk=mirrored("ada@example.com")).update(is_deleted=True)
    Conversation.objects.filter(pk=mirrored("ada@example.com")).update(status="spam")

    response = api_as(ada).get(reverse(LIST))

    assert [c["id"] for c in response.data["results"]] == [kept]


@pytest.mark.django_db
def test_the_list_is_paginated(mirrored, make_user, api_as):
    ada = make_user("ada")
    for n in range(3):
        mirrored("ada@example.com", subject=f"Q{n}")

    page = api_as(ada).get(reverse(LIST), {"page_size": 2})

    assert page.data["count"] == 3 and len(page.data["results"]) == 2 and page.data["next"]


@pytest.mark.django_db
def test_a_user_without_email_sees_nothing(mirrored, make_user, api_as):
    nobody = make_user("nobody", email="")
    mirrored("customer@example.com")
    assert api_as(nobody).get(reverse(LIST)).data["results"] == []
