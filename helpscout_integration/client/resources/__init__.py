"""One class per group of Help Scout endpoints; see `base.Resource` for what they share."""

from .attachments import Attachments
from .conversations import Conversations, Threads
from .customers import Customers
from .docs import Docs
from .mailboxes import Mailboxes
from .organizations import Organizations
from .saved_replies import SavedReplies
from .tags import Tags
from .teams import Teams
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
    "Organizations",
    "SavedReplies",
    "Tags",
    "Teams",
    "Threads",
    "UserStatuses",
    "Users",
    "Webhooks",
    "Workflows",
]
