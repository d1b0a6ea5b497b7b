"""The ordering rules of every mirror write: newest state wins, tombstones hold, and
what a write did (`UpsertResult`).

Split from the mirror writer (`upsert.py`) so the rules read on their own; the writer
applies them (every writer returns an `UpsertResult`). This module decides; it never
writes a row, never reads the database, never parses Help Scout's JSON and never calls
Help Scout.

Ordering rule (see docs/sync.md): a payload is written when its Help Scout modification
time is newer than the row's; an older one is skipped. Help Scout's timestamps have
one-second resolution, so on an *equal* time the payload is written only if its JSON
differs from the row's (two changes in the same second are otherwise indistinguishable;
the next sync's overlap window converges them), and identical JSON counts as unchanged;
so does any payload of the same version for a real row whose JSON is empty: its words
were trimmed by `MIRROR_RETENTION` (erasure/retention.py), and only a newer version
(the conversation changed at Help Scout) writes them again.

Help Scout is the truth on a fresh read (`observed_at`: a listing or a get that began
then): a tombstone set before that moment (a deletion Help Scout's answer contradicts)
does not block it, and a row's version more than `FUTURE_LIMIT` ahead of now (an
impossible time, from before such times were refused) never blocks any payload. Newest
wins among plausible versions, so an older page or delivery still changes nothing. A
customer erased here (erasure.ledger) stays erased whatever Help Scout answers: the
writer filters those through the ledger before these rules run.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from typing import Protocol, TypeVar

from django.db import transaction
from django.utils import timezone

from ..payloads import FUTURE_LIMIT


@dataclass
class UpsertResult:
    """What a write did. `unchanged` includes payloads skipped for being older (`stale`)."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    stale: int = 0
    invalid: int = 0
    deleted: int = 0

    def __add__(self, other: UpsertResult) -> UpsertResult:
        return UpsertResult(
            **{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)}
        )

    def as_dict(self) -> dict[str, int]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @property
    def written(self) -> int:
        return self.created + self.updated


# --- the rules --------------------------------------------------------------------------


def _writing():
    """The transaction a write runs in: its own, or the caller's without a savepoint.

    A savepoint per call is what a sync page group would otherwise open for every page,
    and on SQLite it makes every database page the write touches be copied to a
    sub-journal first (a temporary file): about a third of SQLite's work on a sync page.
    Django's own writes (`Model.save`, `bulk_create`) join the caller's transaction the
    same way. A caller that wants to carry on after a failed write gives it a savepoint
    of its own (`with transaction.atomic(): upsert_...`), as webhook processing does.
    """
    return transaction.atomic(savepoint=False)


def plausible(when: datetime | None) -> datetime | None:
    """`when`, or None when it is more than `FUTURE_LIMIT` ahead of now: a version no
    payload can have any more (parsing refuses them), so it orders nothing."""
    if when is not None and when > timezone.now() + FUTURE_LIMIT:
        return None
    return when


def _decide(
    new_time: datetime | None,
    new_data: dict,
    row: tuple | None,
    *,
    tombstone: datetime | None = None,
    revive: bool = False,
) -> str:
    """ "create", "update", "unchanged" or "stale" for one payload against its row.

    `row` is (hs_updated_at, is_placeholder, data) or None. `tombstone` is when the row
    was marked deleted: a payload not newer than that does not bring it back, unless
    `revive` (a fresh read of Help Scout, made after the tombstone, returned it live):
    then the row is rewritten unless the payload is older than the row's version.
    """
    if row is None:
        return "create"
    old_time, is_placeholder, old_data = row
    old_time = plausible(old_time)
    if is_placeholder and tombstone is None:
        return "create"
    if tombstone is not None and not revive:
        if plausible(tombstone) is None or (new_time is not None and new_time <= tombstone):
            return "stale"
    if new_time is not None and old_time is not None:
        if new_time < old_time:
            return "stale"
        if new_time > old_time:
            return "update"
        if not old_data and not revive:  # trimmed by MIRROR_RETENTION: not refilled
            return "unchanged"
    elif new_time is not None:  # the row had no (plausible) time: anything dated is newer
        return "update"
    if revive:
        return "update"
    return "unchanged" if new_data == old_data else "update"


def _revives(tombstone: datetime | None, observed_at: datetime | None) -> bool:
    """Whether a fresh read made at `observed_at` overrides a tombstone set at
    `tombstone`: the tombstone came first (Help Scout's later answer contradicts it) or
    carries an impossible time."""
    if tombstone is None or observed_at is None:
        return False
    return tombstone < observed_at or plausible(tombstone) is None


class _Versioned(Protocol):
    @property
    def id(self) -> int: ...
    @property
    def hs_updated_at(self) -> datetime | None: ...


_P = TypeVar("_P", bound=_Versioned)


def _dedupe(parsed: list[_P]) -> list[_P]:
    """One payload per id: the newest (the later one on a tie), keeping first-seen order."""
    chosen: dict[int, _P] = {}
    for item in parsed:
        kept = chosen.get(item.id)
        if (
            kept is None
            or kept.hs_updated_at is None
            or item.hs_updated_at is None
            or item.hs_updated_at >= kept.hs_updated_at
        ):
            chosen[item.id] = item
    return list(chosen.values())
