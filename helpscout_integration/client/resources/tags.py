"""Tags of the account (read-only: Help Scout creates tags when they are first used)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ...jsontypes import JSONObject
from ..pagination import Listing, Page
from .base import Resource


class Tags(Resource):
    def list(self, **params: Any) -> Listing:
        return self._list("/tags", "tags", params)

    def pages(self, start_page: int = 1, **params: Any) -> Iterator[Page]:
        return self.list(**params).pages(start_page)

    def get(self, tag_id: int) -> JSONObject:
        """`GET /tags/{id}` (Help Scout's "Get Tag"); `NotFoundError` once it is deleted."""
        return self._get_object(f"/tags/{tag_id}")
