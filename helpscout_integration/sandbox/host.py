"""`SandboxHost`: what the route handlers may use of the running sandbox.

The handlers (`mailbox_api/*`, `docs_api`, `beacon_api`, `control`) are registered by
`sandbox.Sandbox`, so they must not import it back: they type their first argument with
this protocol instead, and `Sandbox` satisfies it. A handler needing more of the sandbox
adds the attribute here. Must never import `sandbox` or a route module.
"""

from __future__ import annotations

from typing import Protocol

from .conversation_index import ConversationIndex
from .faults import Faults
from .store import Store


class SandboxHost(Protocol):
    store: Store
    url: str
    conversation_index: ConversationIndex
    faults: Faults
    seed: str | None
    docs_api_key: str | None
    beacon_secret_key: str | None

    @property
    def api_base_url(self) -> str: ...

    @property
    def webhook_deliveries(self) -> list: ...

    def rate_conversation(
        self, conversation_id: int, rating: str = "great", comments: str = ""
    ) -> dict: ...
