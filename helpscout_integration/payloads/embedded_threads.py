"""When a conversation's embedded threads are not its whole transcript.

Help Scout's List Conversations page says that with `embed=threads` chat threads come
truncated, by design, and that List Threads gives them in full. A list item may also embed
fewer threads than its `threads` count says it has. Either way the writer must not take the
embedded list as complete: these helpers say when to ask List Threads, and put its answer
in place of the embedded list. Pure: no ORM, no HTTP.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..jsontypes import JSONArray, JSONObject

# Thread types Help Scout writes for chats (Beacon chats included).
CHAT_THREAD_TYPES = frozenset({"chat", "beaconchat"})


def needs_thread_listing(payload: Any) -> bool:
    """Whether a conversation from a list page (`embed=threads`) may lack thread text or
    threads: a chat conversation, any chat thread, or fewer threads than its count."""
    if not isinstance(payload, Mapping):
        return False
    embedded = payload.get("_embedded")
    threads = embedded.get("threads") if isinstance(embedded, Mapping) else None
    if not isinstance(threads, list):
        return False  # no threads embedded: nothing claims to be complete
    if payload.get("type") == "chat":
        return True
    if any(isinstance(t, Mapping) and t.get("type") in CHAT_THREAD_TYPES for t in threads):
        return True
    count = payload.get("threads")
    return isinstance(count, int) and not isinstance(count, bool) and count > len(threads)


def with_threads(payload: Mapping[str, Any], threads: JSONArray) -> JSONObject:
    """A copy of `payload` whose embedded threads are `threads` (List Threads' answer)."""
    copy = dict(payload)
    embedded = dict(copy.get("_embedded") or {})
    embedded["threads"] = list(threads)
    copy["_embedded"] = embedded
    return copy
