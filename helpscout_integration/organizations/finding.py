"""Finding the Help Scout organization of an account whose stored mapping is gone.

An account maps to one organization (`AccountOrganization`). When that row is missing
(a restored database, a deleted mapping) or points at an organization Help Scout deleted,
the push looks for an organization with one of the account's domains, else with its
name (case-insensitively), before creating one, so it never makes a duplicate. It looks
in the mirror first (no request), then in Help Scout's list (read once per push session).
Organizations already mapped to another account are never taken.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..models import AccountOrganization, Organization


class OrganizationIndex:
    """Help Scout's organizations by domain and by folded name, listed on first use."""

    def __init__(self, client: Any) -> None:
        self._client = client
        self._by_domain: dict[str, int] | None = None
        self._by_name: dict[str, int] = {}

    def _load(self) -> dict[str, int]:
        if self._by_domain is None:
            self._by_domain = {}
            for item in self._client.organizations.list(sort="name,asc"):
                if isinstance(item, dict) and isinstance(item.get("id"), int):
                    self.add(item["id"], item.get("name") or "", item.get("domains") or ())
        return self._by_domain

    def add(self, organization_id: int, name: str, domains: Iterable[str]) -> None:
        """Record an organization (one the push just created, too)."""
        if self._by_domain is not None:
            for domain in domains:
                if isinstance(domain, str):
                    self._by_domain.setdefault(domain.lower(), organization_id)
        self._by_name.setdefault(name.casefold(), organization_id)

    def find(self, name: str, domains: Iterable[str], taken: set[int]) -> int | None:
        by_domain = self._load()
        for domain in domains:
            found = by_domain.get(domain.lower())
            if found is not None and found not in taken:
                return found
        found = self._by_name.get(name.casefold())
        return found if found is not None and found not in taken else None


def taken_ids(except_for: AccountOrganization | None = None) -> set[int]:
    rows = AccountOrganization.objects.all()
    if except_for is not None and except_for.pk:
        rows = rows.exclude(pk=except_for.pk)
    return set(rows.values_list("organization_id", flat=True))


def find_in_mirror(name: str, domains: list[str], taken: set[int]) -> int | None:
    """A mirrored organization with one of `domains`, else named `name`."""
    candidates = Organization.objects.filter(is_placeholder=False).exclude(pk__in=taken)
    if domains:
        for org_id, org_domains in candidates.values_list("id", "domains").iterator():
            if set(org_domains or ()) & set(domains):
                return org_id
    return candidates.filter(name__iexact=name).values_list("id", flat=True).first()
