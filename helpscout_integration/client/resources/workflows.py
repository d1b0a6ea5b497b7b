"""Workflows: list, activate/deactivate, and run a manual workflow on conversations.

Help Scout runs a manual workflow on at most 50 conversations per call (its PHP SDK splits
larger lists the same way); `run_in_batches` does that and reports each batch's outcome
rather than stopping at the first failure or hiding one.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from ...exceptions import HelpScoutError
from ..pagination import Listing
from .base import Resource

MAX_RUN_BATCH = 50


@dataclass(frozen=True)
class BatchOutcome:
    conversation_ids: tuple[int, ...]
    error: HelpScoutError | None  # None: Help Scout accepted the batch

    @property
    def ok(self) -> bool:
        return self.error is None


class Workflows(Resource):
    def list(self, **params: Any) -> Listing:
        """`GET /workflows`: `id, mailboxId, type (manual|automatic), status, order, name`."""
        return self._list("/workflows", "workflows", params)

    def set_status(self, workflow_id: int, status: str) -> None:
        """`active` or `inactive`."""
        body = {"op": "replace", "path": "/status", "value": status}
        self._write("PATCH", f"/workflows/{workflow_id}", body)

    def run(self, workflow_id: int, conversation_ids: Sequence[int]) -> None:
        """One `POST /workflows/{id}/run` (at most 50 ids; see run_in_batches)."""
        ids = [int(i) for i in conversation_ids]
        if not ids or len(ids) > MAX_RUN_BATCH:
            raise ValueError(f"run() takes 1 to {MAX_RUN_BATCH} conversation ids, got {len(ids)}")
        self._write("POST", f"/workflows/{workflow_id}/run", {"conversationIds": ids})

    def run_in_batches(
        self, workflow_id: int, conversation_ids: Iterable[int]
    ) -> Iterator[BatchOutcome]:
        """Run on any number of conversations, 50 per call; yields each batch's outcome."""
        ids = [int(i) for i in conversation_ids]
        for start in range(0, len(ids), MAX_RUN_BATCH):
            batch = tuple(ids[start : start + MAX_RUN_BATCH])
            try:
                self.run(workflow_id, batch)
            except HelpScoutError as exc:
                yield BatchOutcome(batch, exc)
            else:
                yield BatchOutcome(batch, None)
