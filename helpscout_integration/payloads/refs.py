"""References to other objects found inside a payload (a conversation's customer, assignee,
mailbox and tags), carrying what is known about them so a writer can create a placeholder.

A team uses the same person-ref shape as a user (`{"id", "type": "team", "first", ...}`),
so `type` is kept: a writer must never turn a team into an Agent.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(slots=True)
class PersonRef:
    """A customer or user mentioned by id inside another object."""

    id: int
    first_name: str = ""
    last_name: str = ""
    email: str = ""
    type: str = ""  # "user", "customer", "team"... as sent; "" when the payload did not say

    @property
    def is_team(self) -> bool:
        return self.type == "team"


@dataclass(slots=True)
class TagRef:
    """A tag as conversations carry it: `{"id", "tag", "color"}`; `id` may be missing."""

    id: int | None
    name: str
    color: str = ""
