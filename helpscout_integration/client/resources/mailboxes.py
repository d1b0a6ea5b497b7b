"""Mailboxes, their folders and custom fields (read-only in the Mailbox API)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ...jsontypes import JSONObject
from ..pagination import Listing, Page
from .base import Resource


class Mailboxes(Resource):
    def list(self, **params: Any) -> Listing:
        """Every mailbox the app can see (`GET /mailboxes`)."""
        return self._list("/mailboxes", "mailboxes", params)

    def pages(self, start_page: int = 1, **params: Any) -> Iterator[Page]:
        return self.list(**params).pages(start_page)

    def get(self, mailbox_id: int) -> JSONObject:
        return self._get_object(f"/mailboxes/{mailbox_id}")

    def folders(self, mailbox_id: int, **params: Any) -> Listing:
        return self._list(f"/mailboxes/{mailbox_id}/folders", "folders", params)

    def fields(self, mailbox_id: int, **params: Any) -> Listing:
        """The mailbox's custom field definitions."""
        return self._list(f"/mailboxes/{mailbox_id}/fields", "fields", params)
