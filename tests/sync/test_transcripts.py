"""Chat transcripts and long conversations mirror whole: list pages with `embed=threads`
truncate chat threads (Help Scout's List Conversations page says so), so the sync pages
through List Threads for them, and for any conversation embedding fewer threads than it has.
"""

import pytest

from helpscout_integration.models import Thread
from helpscout_integration.sandbox import Sandbox
from helpscout_integration.sandbox.shapes import CHAT_EMBED_LIMIT
from helpscout_integration.sync.engine import SyncEngine

pytestmark = pytest.mark.django_db

LONG = "Chat line with enough words to be cut by the list page. " * 8


@pytest.fixture
def chats():
    with Sandbox(rate_limit_per_minute=None) as sandbox:
        sandbox.create_mailbox("Support")
        user = sandbox.create_user("Ana", "Agent", "ana@example.com")
        short = sandbox.create_conversation(subject="Email", threads=[{"text": "Hi"}])
        chat = sandbox.create_conversation(
            subject="Chat", type="chat", threads=[{"type": "chat", "text": LONG}]
        )
        sandbox.add_thread(chat["id"], type="chat", text=LONG + " agent", user_id=user["id"])
        long_chat = sandbox.create_conversation(
            subject="Long chat", type="chat", threads=[{"type": "chat", "text": "1"}]
        )
        for n in range(119):
            sandbox.add_thread(long_chat["id"], type="chat", text=f"{n} {LONG}")
        sandbox.ids = (short["id"], chat["id"], long_chat["id"])
        yield sandbox


def _threads_requests(sandbox):
    return [p for _m, p, _s in sandbox.request_log if p.endswith("/threads")]


def test_the_list_page_truncates_chat_threads_and_list_threads_does_not(chats, make_client):
    client = make_client(chats)
    _, chat_id, _ = chats.ids
    listed = next(c for c in client.conversations.list(embed="threads") if c["id"] == chat_id)
    bodies = [t["body"] for t in listed["_embedded"]["threads"]]
    assert {len(b) for b in bodies} == {CHAT_EMBED_LIMIT}
    whole = [t["body"] for t in client.threads.list(chat_id)]
    assert sorted(whole) == sorted(
        t.body for t in chats.store.threads_of(chats.store.conversation(chat_id))
    )
    assert (
        client.conversations.get(chat_id, embed="threads")["_embedded"]["threads"][0]["body"]
        == LONG + " agent"
    )


def test_full_sync_mirrors_chat_transcripts_and_long_conversations_whole(chats, make_client):
    client = make_client(chats)
    SyncEngine(client).run(full=True)

    for conversation_id in chats.ids:
        remote = {
            t.id: t.body for t in chats.store.threads_of(chats.store.conversation(conversation_id))
        }
        local = dict(
            Thread.objects.filter(conversation_id=conversation_id).values_list("id", "body")
        )
        assert local == remote, conversation_id
    assert Thread.objects.filter(conversation_id=chats.ids[2]).count() == 120
    # The cost: one List Threads request per 50 threads of each chat (1 + 3), none for
    # the email conversation.
    assert len(_threads_requests(chats)) == 4
    assert not any(f"/conversations/{chats.ids[0]}/threads" in p for p in _threads_requests(chats))
