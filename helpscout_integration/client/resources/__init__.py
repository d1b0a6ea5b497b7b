"""One class per group of Help Scout endpoints; see `base.Resource` for what they share."""

from .attachments import Attachments
from .conversations import Conversations, Threads
from .customers import Customers
from .docs import Docs
from .mailboxes import Mailboxes
from .saved_replies import SavedReplies
from .tags import Tags
from .user_statuses import UserStatuses
from .users import Users
from .webhooks import Webhooks
from .workflows import Workflows

__all__ = [
    "Attachments",
    "Conversations",
    "Customers",
    "Docs",
    "Mailboxes",
    "SavedReplies",
    "Tags",
    "Threads",
    "UserStatuses",
    "Users",
    "Webhooks",
    "Workflows",
]
