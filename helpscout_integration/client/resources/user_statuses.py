"""Agents' availability (User Status, 2026): email status `active`/`away` and chat status.

Help Scout said `available` for the email status until 2026-01-19, then `active`; the
client passes values through as sent (the parser in payloads/ reads both).
"""

from __future__ import annotations

from typing import Any

from ...jsontypes import JSONObject
from ..pagination import Listing
from .base import Resource


class UserStatuses(Resource):
    def list(self, **params: Any) -> Listing:
        """`GET /users/status`: every user's status, 50 per page."""
        return self._list("/users/status", "userStatuses", params)

    def get(self, user_id: int) -> JSONObject:
        return self._get_object(f"/users/{user_id}/status")

    def set(self, user_id: int, status: str, custom_status: JSONObject | None = None) -> None:
        """`PUT /users/{id}/status` with `active` or `away` (and `{text, emoji?}`)."""
        body: JSONObject = {"status": status}
        if custom_status is not None:
            body["customStatus"] = custom_status
        self._write("PUT", f"/users/{user_id}/status", body)
