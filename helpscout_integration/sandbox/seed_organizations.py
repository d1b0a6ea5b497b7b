"""The organizations and teams of the demo and `large:N` seeds.

Called by seed.py once customers and conversation columns exist: four companies (named
as the customers' legacy `organization` text already says, so the two agree) with
domains and property values, every customer of those companies linked by
`organizationId`, two teams of the seed's agents, and one in twenty of the open
(active or pending) unassigned conversations assigned to a team. Deterministic; draws no
number from the seed's random generator, so the rest of the seed is unchanged.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .organizations import OrganizationBook
from .seeded import STATUS_CODES, SeededColumns
from .teams import TeamBook

if TYPE_CHECKING:
    from .store import Store

COMPANIES = (
    # name, domain, country, plan, seats
    ("Acme", "acme.test", "US", "Enterprise", "120"),
    ("Initech", "initech.test", "US", "Team", "25"),
    ("Globex", "globex.test", "GB", "Enterprise", "300"),
    ("Umbrella", "umbrella.test", "DE", "Free", "3"),
)
TEAMS = (("Billing team", slice(0, 2)), ("Tier 2", slice(2, None)))
OPEN = {STATUS_CODES.index("active"), STATUS_CODES.index("pending")}
TEAM_SHARE = 20  # one in this many open unassigned conversations goes to a team


def seed_organizations(
    store: Store, users: list[int], customer_ids: list[int], block: SeededColumns, base: float
) -> None:
    book = OrganizationBook(store)
    definitions = (
        {
            "type": "dropdown",
            "slug": "plan",
            "name": "Plan",
            "options": [{"label": label} for label in ("Free", "Team", "Enterprise")],
        },
        {"type": "number", "slug": "seats", "name": "Seats"},
        {"type": "date", "slug": "renewal", "name": "Renewal date"},
    )
    for definition in definitions:  # a second seed block in the same store reuses them
        if definition["slug"] not in book.definitions:
            book.define(definition)
    by_name = {org.name: org for org in book.items.values()}
    for n, (name, domain, country, plan, seats) in enumerate(COMPANIES):
        if name in by_name:
            continue
        org = book.create(
            {
                "name": name,
                "website": f"https://www.{domain}",
                "description": f"{name} (seeded)",
                "location": country,
                "domains": [domain],
                "phones": [f"+1 555 01{n:02d}"],
                "brandColor": "#336699",
            },
            at=base,
        )
        org.properties.update(plan=plan, seats=seats, renewal=f"2025-0{n + 1}-15")
        by_name[name] = org
    for customer_id in customer_ids:
        customer = store.customers[customer_id]
        company = by_name.get(customer.organization)
        if company is not None:
            customer.organization_id = company.id
    known = {team.name: team.id for team in store.teams.values()}
    teams = [
        known.get(name) or TeamBook(store).add(name, users[members], at=base).id
        for name, members in TEAMS
    ]
    placed = 0
    for n, assignee in enumerate(block.assignee):
        if assignee == 0 and block.status[n] in OPEN:
            if placed % TEAM_SHARE == 0:
                block.assignee[n] = teams[(placed // TEAM_SHARE) % len(teams)]
            placed += 1
