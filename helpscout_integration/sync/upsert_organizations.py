"""The mirror writer for organizations and teams (with their members).

Same rules as upsert.py: one transaction, a constant number of queries per batch, real
rows never overwritten by placeholders. Organizations carry no modification time, so a
payload is written when its JSON differs from the row's; counts and property values a
payload does not carry (a list item, or a GET without `includeCounts`/`includeProperties`)
keep the row's. Never calls Help Scout.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.db import transaction

from ..exceptions import PayloadError
from ..models import Agent, Organization, Team
from ..payloads import parse_organization, parse_team, parse_user
from .bulk import upsert_rows, values_where_in
from .upsert import UpsertResult, parse_each

logger = logging.getLogger(__name__)

#: Fields a payload may leave out without meaning "empty" (see payloads/organization.py).
OPTIONAL_FIELDS = ("properties", "customer_count", "conversation_count")


def upsert_organizations(payloads: Iterable[dict], *, skip_invalid: bool = False) -> UpsertResult:
    """Organization objects (list items or single GETs) -> Organization rows."""
    result = UpsertResult()
    # The later one wins: organizations carry no modification time to compare.
    items = parse_each(parse_organization, payloads, "organization", skip_invalid, result)
    parsed = {item.id: item for item in items}
    if not parsed:
        return result
    with transaction.atomic(savepoint=False):
        existing = {
            row[0]: row[1:]
            for row in values_where_in(
                Organization,
                "id",
                list(parsed),
                ("id", "is_placeholder", "data", *OPTIONAL_FIELDS),
            )
        }
        rows = []
        for item in parsed.values():
            row = existing.get(item.id)
            fields = dict(item.fields)
            if row is None or row[0]:
                result.created += 1
            elif row[1] == fields["data"]:
                result.unchanged += 1
                continue
            else:
                result.updated += 1
            kept = dict(zip(OPTIONAL_FIELDS, row[2:], strict=True)) if row else {}
            for name in OPTIONAL_FIELDS:
                if name not in fields:
                    fields[name] = kept.get(name, {} if name == "properties" else None)
            rows.append({"id": item.id, **fields})
        upsert_rows(Organization, rows, update=None)
    return result


def upsert_teams(payloads: Iterable[dict], *, skip_invalid: bool = False) -> UpsertResult:
    """Team objects (`GET /teams`) -> Team rows (members: `set_team_members`)."""
    result = UpsertResult()
    items = parse_each(parse_team, payloads, "team", skip_invalid, result)
    parsed = {item.id: item for item in items}
    if not parsed:
        return result
    with transaction.atomic(savepoint=False):
        existing = {
            pk: (placeholder, data)
            for pk, placeholder, data in values_where_in(
                Team, "id", list(parsed), ("id", "is_placeholder", "data")
            )
        }
        rows = []
        for item in parsed.values():
            row = existing.get(item.id)
            if row is None or row[0]:
                result.created += 1
            elif row[1] == item.fields["data"]:
                result.unchanged += 1
                continue
            else:
                result.updated += 1
            rows.append({"id": item.id, **item.fields})
        upsert_rows(Team, rows, update=None)
    return result


def set_team_members(team_id: int, members: Iterable[dict]) -> int:
    """Make `team_id`'s members exactly the listed users (User objects from
    `/teams/{id}/members`), creating placeholder agents for users not mirrored yet.
    Returns how many members the team has."""
    ids: dict[int, dict] = {}
    for payload in members:
        try:
            user = parse_user(payload)
        except PayloadError as exc:
            logger.warning("Skipped an invalid team member of team %s: %s", team_id, exc)
            continue
        ids[user.id] = {
            "id": user.id,
            "first_name": user.fields["first_name"],
            "last_name": user.fields["last_name"],
            "email": user.fields["email"],
            "is_placeholder": True,
        }
    with transaction.atomic(savepoint=False):
        upsert_rows(Agent, list(ids.values()), update=())  # real rows stay as they are
        team = Team.objects.get(pk=team_id)
        team.members.set(list(ids))
    return len(ids)
