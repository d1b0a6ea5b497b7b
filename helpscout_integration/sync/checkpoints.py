"""Where each resource's sync stands, kept in `SyncState` so runs can resume.

A run in flight keeps a `RunCursor` in `SyncState.cursor`: the `modifiedSince` it pages
from, the next page to fetch, when it started. The engine saves it in the same
transaction as the rows of the page it just wrote, so the database never holds rows
whose page the cursor does not account for, or the reverse. This module never calls
Help Scout.
"""

from __future__ import annotations

import os
import socket
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta

from django.utils import timezone

from ..models import SyncState

#: How long a run's claim on a cursor lasts without a commit renewing it. A process that
#: stops committing for longer (a Help Scout outage, a kill on another host) lets the next
#: run take the cursor over; on the same host a dead process's claim ends at once.
LEASE = timedelta(minutes=3)


def isoformat(value: datetime | None) -> str | None:
    """Help Scout's timestamp format: UTC, whole seconds, `Z`."""
    if value is None:
        return None
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_iso(value: str | None) -> datetime | None:
    if not value:
        return None
    parsed = datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


@dataclass
class RunCursor:
    """Progress of one run: restart at `page` of the listing filtered by `since`."""

    mode: str  # "full" or "incremental"
    started_at: str  # ISO, full precision, our clock (the full sync's sweep compares to it)
    since: str | None = None  # current modifiedSince (moves forward as pages are read)
    page: int = 1  # next page to fetch under `since`
    pages_done: int = 0
    max_seen: str | None = None  # latest Help Scout modification time read so far
    phase: str = "pages"  # "open" or "pages", then "sweep" (full sync: confirm unseen rows)
    advance_checkpoint: bool = True
    #: Statuses still to list in this phase, the current one first (empty: the params'
    #: own status). The first full sync lists active, pending ("open"), then closed, spam.
    listings: list[str] = field(default_factory=list)
    #: `totalElements` of the last page read (the open phase detects a shrinking list).
    total: int | None = None
    #: Newest modification on the first page of the open phase (Help Scout's clock):
    #: everything modified after the phase began is newer, so the checkpoint goes here.
    horizon: str | None = None
    #: Progress for the overview: items written by this run, items left in the current
    #: listing, and the rate's reference point (reset when a run takes the cursor over).
    items_done: int = 0
    remaining: int | None = None
    rate_since: str | None = None
    items_at_rate_since: int = 0
    #: Which process holds the cursor ("host:pid") and until when (see `LEASE`).
    owner: str = ""
    lease_until: str | None = None

    @classmethod
    def from_json(cls, data: dict) -> RunCursor | None:
        if not data or "mode" not in data:
            return None
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in data.items() if k in known})

    def to_json(self) -> dict:
        return asdict(self)

    @property
    def listing(self) -> str | None:
        """The status listed now, when the phase lists several (else the params' own)."""
        return self.listings[0] if self.listings else None

    @property
    def started(self) -> datetime:
        started = parse_iso(self.started_at)
        if started is None:
            raise ValueError("A run cursor without started_at cannot bound a sweep.")
        return started


def this_process() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def held_elsewhere(cursor: RunCursor | None, now: datetime | None = None) -> bool:
    """Whether another live process holds `cursor` (its lease runs and, on this host,
    its process still exists). A run of this process never blocks itself."""
    if cursor is None or not cursor.owner or cursor.owner == this_process():
        return False
    until = parse_iso(cursor.lease_until)
    if until is None or until <= (now or timezone.now()):
        return False
    host, _, pid = cursor.owner.rpartition(":")
    if host == socket.gethostname() and pid.isdigit():
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            return False  # killed (kill -9 included): nothing holds it any more
        except PermissionError:
            return True
    return True


def claim(cursor: RunCursor, now: datetime | None = None) -> None:
    """Make this process the cursor's holder and restart its rate measurement (the
    lease starts when `save_cursor` stores it)."""
    now = now or timezone.now()
    cursor.owner = this_process()
    cursor.rate_since = now.isoformat()
    cursor.items_at_rate_since = cursor.items_done


def release(state: SyncState) -> None:
    """Give up this process's claim (a run that failed), keeping the position."""
    cursor = RunCursor.from_json(state.cursor)
    if cursor is not None and cursor.owner == this_process():
        cursor.owner, cursor.lease_until = "", None
        save_cursor(state, cursor, renew=False)


def get_state(resource: str, mailbox_id: int | None = None) -> SyncState:
    state, _ = SyncState.objects.get_or_create(resource=resource, mailbox_id=mailbox_id or 0)
    return state


def save_cursor(state: SyncState, cursor: RunCursor | None, *, renew: bool = True) -> None:
    """Store `cursor` (None: no run in flight), renewing this process's lease on it."""
    if cursor is not None and renew and cursor.owner == this_process():
        cursor.lease_until = (timezone.now() + LEASE).isoformat()
    state.cursor = cursor.to_json() if cursor else {}
    SyncState.objects.filter(pk=state.pk).update(cursor=state.cursor, updated_at=timezone.now())


def complete_run(state: SyncState, cursor: RunCursor, stats: dict) -> None:
    """Close a run: advance the checkpoint, clear the cursor, record what happened.

    The checkpoint is the latest Help Scout modification time the run read (Help Scout's
    clock, so skew between our clock and theirs cannot open a gap), never moving back;
    a run that read nothing keeps the previous one.
    """
    now = timezone.now()
    seen = parse_iso(cursor.max_seen)
    if cursor.advance_checkpoint and seen is not None:
        state.checkpoint = seen if state.checkpoint is None else max(state.checkpoint, seen)
    if cursor.mode == "full":
        state.last_full_sync_at = now
    else:
        state.last_incremental_sync_at = now
    state.cursor = {}
    state.last_run_stats = stats
    state.last_error = ""
    state.save()


def record_error(state: SyncState, error: BaseException) -> None:
    SyncState.objects.filter(pk=state.pk).update(
        last_error=f"{type(error).__name__}: {error}"[:2000], updated_at=timezone.now()
    )


def incremental_since(state: SyncState, overlap: timedelta) -> datetime | None:
    return state.checkpoint - overlap if state.checkpoint else None


@dataclass
class RunProgress:
    """Where a run in flight stands, for the overview: what it lists, how far it got, and
    when it should end at the rate it has kept since it last took the cursor."""

    phase: str  # "open work", "history backfill", "listing", "deletion check"
    listing: str | None  # the status being listed, when the phase lists several
    items_done: int
    remaining: int | None  # items left in the current listing (later listings unknown)
    per_minute: float | None
    eta_seconds: float | None
    later_listings: list[str]
    held_by: str  # the process running it ("host:pid"), while its lease lasts

    @property
    def eta(self) -> str:
        """The expected time left in words ("2 h 05 min", "12 min"), "" when unknown."""
        if self.eta_seconds is None:
            return ""
        minutes = max(round(self.eta_seconds / 60), 1)
        hours, minutes = divmod(minutes, 60)
        return f"{hours} h {minutes:02d} min" if hours else f"{minutes} min"


_PHASES = {"open": "open work", "handoff": "open work", "sweep": "deletion check"}


def progress(state: SyncState, now: datetime | None = None) -> RunProgress | None:
    """The progress of the run `state` holds, or None when none is in flight."""
    cursor = RunCursor.from_json(state.cursor)
    if cursor is None:
        return None
    now = now or timezone.now()
    if cursor.phase in _PHASES:
        phase = _PHASES[cursor.phase]
    elif state.resource.endswith(".backfill"):
        phase = "history backfill"
    else:
        phase = f"{cursor.mode} listing"
    per_minute = eta = None
    since = parse_iso(cursor.rate_since)
    if since is not None:
        minutes = (now - since).total_seconds() / 60
        items = cursor.items_done - cursor.items_at_rate_since
        if minutes > 0 and items > 0:
            per_minute = items / minutes
            if cursor.remaining is not None:
                eta = cursor.remaining / per_minute * 60
    return RunProgress(
        phase=phase,
        listing=cursor.listing,
        items_done=cursor.items_done,
        remaining=cursor.remaining,
        per_minute=per_minute,
        eta_seconds=eta,
        later_listings=list(cursor.listings[1:]),
        held_by=cursor.owner if (parse_iso(cursor.lease_until) or now) > now else "",
    )
