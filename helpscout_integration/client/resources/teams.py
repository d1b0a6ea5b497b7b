"""Teams (groups of agents) and their members."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..pagination import Listing, Page
from .base import Resource


class Teams(Resource):
    def list(self, **params: Any) -> Listing:
        """`GET /teams`."""
        return self._list("/teams", "teams", params)

    def pages(self, start_page: int = 1, **params: Any) -> Iterator[Page]:
        return self.list(**params).pages(start_page)

    def members(self, team_id: int, **params: Any) -> Listing:
        """`GET /teams/{id}/members`: User objects under `_embedded.users`."""
        return self._list(f"/teams/{team_id}/members", "users", params)
