"""Users: the account's agents, and the user the credentials belong to."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ...jsontypes import JSONObject
from ..pagination import Listing, Page
from .base import Resource


class Users(Resource):
    def list(self, **params: Any) -> Listing:
        return self._list("/users", "users", params)

    def pages(self, start_page: int = 1, **params: Any) -> Iterator[Page]:
        return self.list(**params).pages(start_page)

    def get(self, user_id: int) -> JSONObject:
        return self._get_object(f"/users/{user_id}")

    def me(self) -> JSONObject:
        """The user the credentials belong to."""
        return self._get_object("/users/me")
