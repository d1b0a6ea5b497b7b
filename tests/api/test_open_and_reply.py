"""Opening conversations and replying from the product: Help Scout first, then the mirror."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from helpscout_integration.api.conversations import open_conversation, reply_as_customer
from helpscout_integration.exceptions import ConfigurationError
from helpscout_integration.models import Conversation, Mailbox

LIST = "helpscout:my-conversation-list"


@pytest.fixture
def mailbox(helpscout_sandbox, db):
    created = helpscout_sandbox.create_mailbox("Support")
    Mailbox.objects.create(id=created["id"], name="Support")
    return created["id"]


@pytest.mark.django_db
def test_open_conversation_returns_the_id_from_location_and_mirrors_it(
    helpscout_sandbox, mailbox, make_user
):
    ada = make_user("ada", first_name="Ada", last_name="Lovelace")

    conversation_id = open_conversation(ada, "Cannot export", "Export fails\nwith <b>error</b> 500")

    posted = [p for m, p, s in helpscout_sandbox.request_log if m == "POST" and s == 201]
    assert posted == ["/v2/conversations"]
    in_help_scout = helpscout_sandbox.get_conversation(conversation_id)
    assert in_help_scout["primaryCustomer"]["email"] == "ada@example.com"
    assert in_help_scout["mailboxId"] == mailbox
    mirrored = Conversation.objects.get(pk=conversation_id)
    assert mirrored.subject == "Cannot export" and mirrored.customer.email == "ada@example.com"
    thread = mirrored.threads.get()
    assert thread.type == "customer"
    assert "&lt;b&gt;error&lt;/b&gt;" in thread.body and "<br>" in thread.body


@pytest.mark.django_db
def test_the_configured_mailbox_wins_over_the_first_mirrored_one(
    helpscout_sandbox, mailbox, make_user, settings
):
    other = helpscout_sandbox.create_mailbox("Sales")["id"]
    settings.HELPSCOUT = {**settings.HELPSCOUT, "DEFAULT_MAILBOX_ID": other}

    conversation_id = open_conversation(make_user("ada"), "Hi", "Hello")

    assert helpscout_sandbox.get_conversation(conversation_id)["mailboxId"] == other


@pytest.mark.django_db
def test_no_mailbox_at_all_is_a_clear_configuration_error(helpscout_sandbox, make_user):
    with pytest.raises(ConfigurationError, match="DEFAULT_MAILBOX_ID"):
        open_conversation(make_user("ada"), "Hi", "Hello")
    assert helpscout_sandbox.request_log == []


@pytest.mark.django_db
@pytest.mark.parametrize(("subject", "text"), [("", "text"), ("subject", "  ")])
def test_empty_subject_or_text_is_refused_before_any_request(
    helpscout_sandbox, mailbox, make_user, subject, text
):
    with pytest.raises(ValueError):
        open_conversation(make_user("ada"), subject, text)
    assert helpscout_sandbox.request_log == []


@pytest.mark.django_db
def test_the_endpoint_opens_a_conversation_the_user_then_sees(
    helpscout_sandbox, mailbox, make_user, api_as
):
    ada = make_user("ada")
    upload = SimpleUploadedFile("log.txt", b"trace", content_type="text/plain")

    response = api_as(ada).post(
        reverse(LIST),
        {"subject": "Help", "text": "It broke", "attachments": [upload]},
        format="multipart",
    )

    assert response.status_code == 201
    conversation_id = response.data["id"]
    assert response.data["threads"][0]["text"] == "It broke"
    listing = api_as(ada).get(reverse(LIST))
    assert [c["id"] for c in listing.data["results"]] == [conversation_id]


@pytest.mark.django_db
def test_the_endpoint_validates_input(helpscout_sandbox, mailbox, make_user, api_as):
    response = api_as(make_user("ada")).post(reverse(LIST), {"subject": "", "text": "x"})
    assert response.status_code == 400 and "subject" in response.data
    assert helpscout_sandbox.request_log == []


@pytest.mark.django_db
def test_help_scout_down_is_a_503_with_a_plain_message(
    helpscout_sandbox, mailbox, make_user, api_as
):
    helpscout_sandbox.faults.fail_next(1, status=403)
    response = api_as(make_user("ada")).post(reverse(LIST), {"subject": "S", "text": "T"})
    assert response.status_code == 503
    assert "try again" in response.data["detail"]


@pytest.mark.django_db
def test_a_reply_goes_to_help_scout_as_a_customer_thread_and_is_mirrored(
    helpscout_sandbox, mailbox, make_user, api_as
):
    ada = make_user("ada")
    conversation_id = open_conversation(ada, "Question", "First")

    response = api_as(ada).post(
        reverse("helpscout:my-conversation-reply", args=[conversation_id]), {"text": "More info"}
    )

    assert response.status_code == 201
    assert [t["text"] for t in response.data["threads"]] == ["First", "More info"]
    threads = helpscout_sandbox.get_conversation(conversation_id)["_embedded"]["threads"]
    assert sorted(t["type"] for t in threads) == ["customer", "customer"]
    assert ("POST", f"/v2/conversations/{conversation_id}/customer", 201) in (
        helpscout_sandbox.request_log
    )


@pytest.mark.django_db
def test_reply_as_customer_from_python(helpscout_sandbox, mailbox, make_user):
    ada = make_user("ada")
    conversation = Conversation.objects.get(pk=open_conversation(ada, "Q", "First"))

    reply_as_customer(ada, conversation, "Second")

    assert conversation.threads.count() == 2
