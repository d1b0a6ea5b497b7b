"""Threads a customer never sees through the end-user API: drafts, hidden threads and
threads held for review (`review`, and `underreview` as Help Scout's prose spells it)."""

import pytest

from helpscout_integration.api.ownership import public_threads
from helpscout_integration.models import Conversation, Thread


@pytest.mark.django_db
def test_threads_held_for_review_are_hidden_like_drafts():
    conversation = Conversation.objects.create(id=1, subject="Question")
    for n, state in enumerate(["published", "draft", "hidden", "review", "underreview"]):
        Thread.objects.create(id=n + 1, conversation=conversation, type="message", state=state)

    assert [t.state for t in public_threads()] == ["published"]
