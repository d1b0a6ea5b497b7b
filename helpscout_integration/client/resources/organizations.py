"""Organizations (companies), their customers and conversations, and organization
properties (definitions and per-organization values).

Thin: Help Scout paths and bodies as they are. Mind `update`: `PUT /organizations/{id}`
replaces the whole record, so a caller must send every field it wants kept (see
organizations/push.py, which reads first). Property values are always strings.
"""

from __future__ import annotations

import builtins
from collections.abc import Iterator
from typing import Any

from ...jsontypes import JSONObject
from ..pagination import Listing, Page
from .base import Resource


def _flag(value: bool) -> str:
    return "true" if value else "false"


class Organizations(Resource):
    def list(self, **params: Any) -> Listing:
        """`GET /organizations` (`sort`: `name`, `customerCount`, `conversationCount` or
        `lastInteractionAt`, with `,asc`/`,desc`; Help Scout's default is
        `lastInteractionAt,desc`). 50 per page."""
        return self._list("/organizations", "organizations", params)

    def pages(self, start_page: int = 1, **params: Any) -> Iterator[Page]:
        return self.list(**params).pages(start_page)

    def get(
        self, organization_id: int, *, counts: bool = False, properties: bool = False
    ) -> JSONObject:
        return self._get_object(
            f"/organizations/{organization_id}",
            {"includeCounts": _flag(counts), "includeProperties": _flag(properties)},
        )

    def create(self, body: JSONObject) -> int:
        """`POST /organizations`; returns the new id (`Resource-ID`)."""
        return self._create("/organizations", body)

    def update(self, organization_id: int, body: JSONObject) -> None:
        """`PUT /organizations/{id}`: a FULL replace (omitted fields are cleared)."""
        self._write("PUT", f"/organizations/{organization_id}", body)

    def delete(self, organization_id: int) -> None:
        self._write("DELETE", f"/organizations/{organization_id}")

    def customers(self, organization_id: int, **params: Any) -> Listing:
        return self._list(f"/organizations/{organization_id}/customers", "customers", params)

    def conversations(self, organization_id: int, **params: Any) -> Listing:
        return self._list(
            f"/organizations/{organization_id}/conversations", "conversations", params
        )

    # --- properties ------------------------------------------------------------------

    def property_definitions(self) -> builtins.list[JSONObject]:
        """The account's organization property definitions (at most 50)."""
        return list(self._list("/organizations/properties", "organization-properties"))

    def create_property_definition(self, body: JSONObject) -> None:
        """`POST /organizations/properties` with `type`, `slug`, `name` (and `options`
        `[{"label"}]` for a dropdown)."""
        self._transport.request("POST", "/organizations/properties", json=body)

    def update_property_definition(self, slug: str, body: JSONObject) -> None:
        """`PUT /organizations/properties/{slug}`: `name`, `options` (replaces the list)."""
        self._write("PUT", f"/organizations/properties/{slug}", body)

    def delete_property_definition(self, slug: str) -> None:
        self._write("DELETE", f"/organizations/properties/{slug}")

    def set_property(self, organization_id: int, slug: str, value: str) -> None:
        """`PUT /organizations/{id}/properties/{slug}` with `{"value": "<string>"}`."""
        self._write("PUT", f"/organizations/{organization_id}/properties/{slug}", {"value": value})

    def remove_property(self, organization_id: int, slug: str) -> None:
        self._write("DELETE", f"/organizations/{organization_id}/properties/{slug}")
