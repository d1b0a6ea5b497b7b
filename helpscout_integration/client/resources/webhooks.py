"""Webhook subscriptions: list, create (answers 201 + Resource-ID), update, delete."""

from __future__ import annotations

from typing import Any

from ...jsontypes import JSONObject
from ..pagination import Listing
from .base import Resource


class Webhooks(Resource):
    def list(self, **params: Any) -> Listing:
        return self._list("/webhooks", "webhooks", params)

    def get(self, webhook_id: int) -> JSONObject:
        return self._get_object(f"/webhooks/{webhook_id}")

    def create(self, body: JSONObject) -> int:
        """`POST /webhooks` with `url`, `events`, `secret` (at most 40 characters)..."""
        return self._create("/webhooks", body)

    def update(self, webhook_id: int, body: JSONObject) -> None:
        self._write("PUT", f"/webhooks/{webhook_id}", body)

    def delete(self, webhook_id: int) -> None:
        self._write("DELETE", f"/webhooks/{webhook_id}")
