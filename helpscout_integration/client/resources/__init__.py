"""One class per group of Help Scout endpoints; see `base.Resource` for what they share."""

from .attachments import Attachments
from .conversations import Conversations, Threads
from .customers import Customers
from .docs import Docs
from .mailboxes import Mailboxes
from .tags import Tags
from .users import Users
from .webhooks import Webhooks

__all__ = [
    "Attachments",
    "Conversations",
    "Customers",
    "Docs",
    "Mailboxes",
    "Tags",
    "Threads",
    "Users",
    "Webhooks",
]
