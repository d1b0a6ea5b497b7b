"""Mirror models and the app's own state; thin by design.

Behaviour lives in sync/ and webhooks/, parsing in payloads/.
"""

from .availability import AgentStatus
from .base import MirrorModel
from .conversation import (
    Conversation,
    ConversationStatus,
    SatisfactionRating,
    Thread,
    ThreadType,
)
from .customer import Customer
from .directory import Agent, Mailbox, Tag
from .docs import BeaconSuggestion, BeaconSuggestionArticle, DocsArticle
from .erasure import ERASURE_STATES_IN_LEDGER, CustomerErasure, ErasureStatus
from .organization import AccountOrganization, Organization, Team
from .sync_state import SyncState
from .webhook_event import WebhookEvent, WebhookEventStatus
from .webhook_rejection import WebhookRejection, WebhookRejectionReason

__all__ = [
    "AccountOrganization",
    "Agent",
    "AgentStatus",
    "BeaconSuggestion",
    "BeaconSuggestionArticle",
    "Conversation",
    "ConversationStatus",
    "Customer",
    "CustomerErasure",
    "DocsArticle",
    "ERASURE_STATES_IN_LEDGER",
    "ErasureStatus",
    "Mailbox",
    "MirrorModel",
    "Organization",
    "SatisfactionRating",
    "SyncState",
    "Tag",
    "Team",
    "Thread",
    "ThreadType",
    "WebhookEvent",
    "WebhookEventStatus",
    "WebhookRejection",
    "WebhookRejectionReason",
]
