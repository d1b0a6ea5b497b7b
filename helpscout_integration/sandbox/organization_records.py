"""Records of the sandbox's organizations, organization properties and teams (plain data).

Kept apart from records.py so the Organizations/Teams family stays in its own modules;
like records.py it imports nothing of the sandbox.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class Organization:
    id: int
    name: str
    created_at: float
    last_interaction_at: float
    website: str | None = None
    description: str | None = None
    location: str | None = None
    note: str | None = None
    brand_color: str | None = None
    logo_url: str | None = None
    domains: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    properties: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class OrganizationProperty:
    id: int
    slug: str
    name: str
    type: str
    options: list[str] = field(default_factory=list)  # dropdown labels


@dataclass(slots=True)
class Team:
    id: int
    name: str
    created_at: float
    updated_at: float
    timezone: str = "America/New_York"
    photo_url: str = ""
    mention: str = ""
    member_ids: list[int] = field(default_factory=list)

    @property
    def initials(self) -> str:
        return "".join(word[0] for word in self.name.split()[:2]).upper()
