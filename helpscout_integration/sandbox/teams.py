"""The sandbox account's Teams and their members, and who a conversation may be
assigned to.

A team is assigned like a user: Help Scout documents `assignTo` with a user id and
shows team assignees as `{"type": "team", ...}` person refs; that a team id is accepted
there is unverified (reference helpscout-api-2026.md section 2), and the sandbox takes
teams and users from one id space so both readings work. Never touches HTTP.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from .clock import iso
from .organization_records import Team
from .store import NotFound

if TYPE_CHECKING:
    from .store import Store


class TeamBook:
    """The rules over one sandbox account's teams (`store.teams`): a view holding no state
    of its own. Team ids come from the users' sequence."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.items: dict[int, Team] = store.teams

    def add(self, name: str, member_ids: Iterable[int] = (), *, at: float | None = None) -> Team:
        member_ids = list(member_ids)
        with self.store.lock:
            for user_id in member_ids:
                self.store.user(user_id)
            now = self.store.touch() if at is None else at
            team = Team(
                id=self.store.next_id("user"),
                name=name,
                created_at=now,
                updated_at=now,
                mention=name.lower().replace(" ", "-"),
                member_ids=list(dict.fromkeys(member_ids)),
            )
            self.items[team.id] = team
            return team

    def get(self, team_id: int) -> Team:
        found = self.items.get(team_id)
        if found is None:
            raise NotFound(f"Team {team_id} not found")
        return found

    def shape(self, team: Team, base: str) -> dict[str, Any]:
        return {
            "id": team.id,
            "createdAt": iso(team.created_at),
            "updatedAt": iso(team.updated_at),
            "name": team.name,
            "timezone": team.timezone,
            "photoUrl": team.photo_url,
            "mention": team.mention,
            "initials": team.initials,
            "_links": {"self": {"href": f"{base}/teams/{team.id}"}},
        }

    def reference(self, team: Team) -> dict[str, Any]:
        """A team where a person ref goes (conversation assignee, thread assignedTo)."""
        return {"id": team.id, "type": "team", "first": team.name, "last": "", "email": ""}


def require_assignee(store: Store, assignee_id: int) -> None:
    """A user or a team, else `NotFound`."""
    if assignee_id in store.teams:
        return
    store.user(assignee_id)


def assignee_name(store: Store, assignee_id: int | None) -> str:
    """How a line item names the assignee ("" for nobody)."""
    team = store.teams.get(assignee_id or 0)
    if team is not None:
        return team.name
    user = store.users.get(assignee_id or 0)
    return f"{user.first_name} {user.last_name}".strip() if user else ""
