"""Customers and customer properties (definitions and per-customer values)."""

from __future__ import annotations

import builtins
from collections.abc import Iterable, Iterator
from typing import Any

from ...jsontypes import JSONObject
from ..pagination import Listing, Page
from .base import Resource


def email_query(email: str) -> str:
    """Help Scout search syntax matching one email address, quotes escaped."""
    escaped = email.strip().replace("\\", "\\\\").replace('"', '\\"')
    return f'(email:"{escaped}")'


class Customers(Resource):
    def list(self, **params: Any) -> Listing:
        """`GET /customers` (`mailbox`, `firstName`, `lastName`, `modifiedSince`, `query`...)."""
        return self._list("/customers", "customers", params)

    def pages(self, start_page: int = 1, **params: Any) -> Iterator[Page]:
        return self.list(**params).pages(start_page)

    def get(self, customer_id: int) -> JSONObject:
        return self._get_object(f"/customers/{customer_id}")

    def create(self, body: JSONObject) -> int:
        return self._create("/customers", body)

    def update(self, customer_id: int, body: JSONObject) -> None:
        """`PUT /customers/{id}`: replaces the customer's profile fields."""
        self._write("PUT", f"/customers/{customer_id}", body)

    def patch(self, customer_id: int, operations: Iterable[JSONObject]) -> None:
        """`PATCH /customers/{id}` with JSON Patch operations (`op`, `path`, `value`)."""
        self._write("PATCH", f"/customers/{customer_id}", list(operations))

    def delete(self, customer_id: int, *, asynchronous: bool = False) -> int:
        """`DELETE /customers/{id}`: Help Scout's GDPR delete of the customer, their
        conversations and survey answers; no undo. Returns the status: 204 (deleted) or,
        with `asynchronous`, 202 (accepted; `customer.deleted` arrives when done). A 403
        (`PermissionDeniedError`) means the user cannot see all of the customer's
        conversations, or (without `asynchronous`) that there are more than 100."""
        params = {"async": "true"} if asynchronous else None
        response = self._transport.request("DELETE", f"/customers/{customer_id}", params=params)
        return response.status_code

    def find_by_email(self, email: str) -> JSONObject | None:
        """The first customer with this email address, or None (reads one page only)."""
        page = next(self.list(query=email_query(email)).pages(), None)
        return page.items[0] if page and page.items else None

    def property_definitions(self) -> builtins.list[JSONObject]:
        """The account's customer property definitions (`slug`, `name`, `type`, `options`)."""
        return list(self._list("/customer-properties", "customer-properties"))

    def set_properties(self, customer_id: int, ops: Iterable[JSONObject]) -> None:
        """`PATCH /customers/{id}/properties` with `[{"op": "replace", "path": "/slug",
        "value": ...}]`."""
        self._write("PATCH", f"/customers/{customer_id}/properties", list(ops))
