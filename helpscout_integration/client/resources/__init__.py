"""One class per group of Help Scout endpoints; see `base.Resource` for what they share."""

from .conversations import Conversations, Threads
from .customers import Customers
from .docs import Docs
from .mailboxes import Mailboxes
from .organizations import Organizations
from .tags import Tags
from .teams import Teams
from .users import Users
from .webhooks import Webhooks

__all__ = [
    "Conversations",
    "Customers",
    "Docs",
    "Mailboxes",
    "Organizations",
    "Tags",
    "Teams",
    "Threads",
    "Users",
    "Webhooks",
]
