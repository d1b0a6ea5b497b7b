"""Help Scout JSON -> model field values: the only place that reads Help Scout's shapes.

Pure functions shared by sync and webhook processing, so a conversation from a list page,
a webhook or the sandbox becomes the same rows. They never query the database or make
HTTP calls; a payload that is not the object asked for raises `PayloadError`. Unknown
fields are kept (the raw JSON goes into `data`); missing optional fields are fine.

Results are slotted dataclasses that callers treat as read-only. They are not frozen:
a frozen dataclass sets each field through `object.__setattr__`, which made building one
about six times slower, and a sync page builds several hundred (a thread and its
customer reference for each of ~160 threads).
"""

from ._fields import FUTURE_LIMIT, MAX_ID
from .conversation import ParsedConversation, modification_time, parse_conversation
from .customer import ParsedCustomer, parse_customer
from .directory import ParsedObject, parse_mailbox, parse_tag, parse_user
from .organization import (
    ParsedOrganization,
    PropertyDefinition,
    parse_organization,
    parse_property_definitions,
    parse_team,
    parse_team_member,
)
from .rating import ParsedRating, parse_rating
from .refs import PersonRef, TagRef
from .thread import ParsedThread, parse_thread

__all__ = [
    "FUTURE_LIMIT",
    "MAX_ID",
    "ParsedConversation",
    "ParsedCustomer",
    "ParsedObject",
    "ParsedOrganization",
    "ParsedRating",
    "ParsedThread",
    "PersonRef",
    "PropertyDefinition",
    "TagRef",
    "modification_time",
    "parse_conversation",
    "parse_customer",
    "parse_mailbox",
    "parse_organization",
    "parse_property_definitions",
    "parse_rating",
    "parse_tag",
    "parse_team",
    "parse_team_member",
    "parse_thread",
    "parse_user",
]
