"""Teams routes: the team list and each team's members (User objects)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .. import shapes
from ..server import Request, Response
from ..teams import TeamBook
from .base import lookup, paged, router

if TYPE_CHECKING:
    from ..host import SandboxHost


@router.route("GET", r"/teams")
def list_teams(sb: SandboxHost, request: Request) -> Response:
    book = TeamBook(sb.store)
    with sb.store.lock:
        items = sorted(book.items.values(), key=lambda t: t.id)
        return paged(sb, request, "teams", items, lambda t: book.shape(t, sb.api_base_url))


@router.route("GET", r"/teams/(?P<team_id>\d+)/members")
def list_members(sb: SandboxHost, request: Request, team_id: str) -> Response:
    book = TeamBook(sb.store)
    with sb.store.lock:
        team = lookup(book.get, team_id)
        members = [sb.store.users[i] for i in team.member_ids if i in sb.store.users]
        return paged(sb, request, "users", members, lambda u: shapes.user(u, sb.api_base_url))
