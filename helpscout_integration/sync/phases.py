"""The first (or full) sync of conversations in phases: today's work first.

A first full sync of a large account takes hours at Help Scout's rate limit (1,000,000
conversations: about 40,000 requests, 100 minutes at 400 a minute). Listed in one
modification order, the admin would show a random slice of history for most of that time.
So the conversation part runs in phases (docs/sync.md, "The first sync: open work first"),
each resumable from its last committed page:

1. open work: active, then pending, newest first, by page number (stepping back when the
   list shrinks, `_newest_first_step`), before customers;
2. what changed meanwhile: an incremental pass from the open phase's horizon;
3. the history (closed, then spam) as a backfill in its own `SyncState` row, so
   incremental runs and webhooks keep the mirrored part fresh while it goes on;
4. what changed during the backfill.

This mixin holds the phase logic; `SyncEngine` (engine.py) runs the listings.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from ..models import SyncState
from . import checkpoints
from .checkpoints import RunCursor, isoformat, parse_iso
from .progress import Reporter
from .stats import ResourceReport, SyncReport

#: A first (or --full) sync lists open work first, newest first, then the history.
OPEN_STATUSES = ("active", "pending")
HISTORY_STATUSES = ("closed", "spam")
NEWEST_FIRST = "desc"  # the open phase's sortOrder
#: The SyncState row of the history backfill (its own row: an incremental run may keep
#: the mirror fresh, under the "conversations" row, while the backfill goes on).
BACKFILL = "conversations.backfill"
#: Conversations a list page holds (Help Scout's fixed page size).
CONVERSATION_PAGE_SIZE = 25


class PhasedFirstSync:
    """The phases of a first or full conversation sync (mixed into `SyncEngine`, which
    provides the attributes and listings declared here)."""

    reporter: Reporter
    reconcile: bool
    overlap: timedelta
    clock: Callable[[], datetime]
    #: Mailbox scopes (0: all) whose open work this run already looked at, and whether
    #: the run is phased there (reset by `SyncEngine.run`).
    _open_work: dict[int, bool]

    if TYPE_CHECKING:

        def _sync_conversation_stream(
            self,
            report: SyncReport,
            *,
            full: bool,
            mailbox_id: int | None,
            since: datetime | None,
            label: str = ...,
            resource: str = ...,
            report_as: str | None = ...,
        ) -> ResourceReport: ...

        def _reconcile_counts(self, report: SyncReport, mailbox_id: int | None) -> None: ...

    def sync_conversations(self, report, *, full=False, mailbox_id=None, since=None):
        """Conversations: open work first on a first or full sync (`sync_open_work`), then
        the changes since it began, then the history backfill, then the changes since.

        An incremental run resumes a backfill that no live process holds (a killed full
        sync goes on where it stopped) and skips the count reconciliation while one is
        pending (the counts cannot agree before the history is in).
        """
        phased = self.sync_open_work(report, full=full, mailbox_id=mailbox_id, since=since)
        rr = self._sync_conversation_stream(
            report, full=full and not phased, mailbox_id=mailbox_id, since=since
        )
        if self._run_backfill(report, mailbox_id):
            rr = self._sync_conversation_stream(
                report,
                full=False,
                mailbox_id=mailbox_id,
                since=None,
                label="conversations (changes during the backfill)",
                report_as="conversations",
            )
        elif self.reconcile and rr.mode == "incremental" and not backfill_pending(mailbox_id):
            self._reconcile_counts(report, mailbox_id)
        return rr

    def sync_open_work(self, report, *, full=False, mailbox_id=None, since=None) -> bool:
        """Mirror active and pending conversations, newest first, when this is a first sync
        (no checkpoint, no `since`) or a full one, or finish an open phase that was cut off.

        Returns whether the run is phased (the history follows, or goes on, as a backfill:
        the caller must not run an unphased full listing as well). Runs once per run and
        mailbox scope: `run` calls it before customers so staff have today's work as
        early as possible.
        """
        scope = mailbox_id or 0
        if scope in self._open_work:
            return self._open_work[scope]
        state = checkpoints.get_state("conversations", mailbox_id)
        cursor = RunCursor.from_json(state.cursor)
        resume_backfill = full and backfill_pending(mailbox_id, including_all=False)
        if cursor is not None and cursor.phase in ("open", "handoff"):
            phased = True
        elif resume_backfill:
            phased = False  # a full sync was cut off in its backfill: go on with that
        elif cursor is not None and cursor.mode == "full":
            phased = False  # an unphased full pass (a reconciliation) was cut off: resume it
        else:
            phased = full or (since is None and state.checkpoint is None)
        self._open_work[scope] = phased or resume_backfill
        if phased:
            if cursor is None or cursor.phase not in ("open", "handoff"):
                checkpoints.save_cursor(state, self._open_cursor())
            self._sync_conversation_stream(
                report,
                full=True,
                mailbox_id=mailbox_id,
                since=None,
                label="conversations (open work)",
                report_as="conversations",
            )
            # At once, not after customers: until this pass, a conversation that changed
            # while the open work was listed may be missing.
            self._sync_conversation_stream(
                report,
                full=False,
                mailbox_id=mailbox_id,
                since=None,
                label="conversations (changes during the open work)",
                report_as="conversations",
            )
        return self._open_work[scope]

    def _open_cursor(self) -> RunCursor:
        return RunCursor(
            mode="full",
            started_at=self.clock().isoformat(),
            phase="open",
            listings=list(OPEN_STATUSES),
        )

    def _run_backfill(self, report: SyncReport, mailbox_id: int | None) -> bool:
        """Run (or resume) the history backfill of a phased full sync, when one is pending
        and no other live process holds it; True when it ran to its end here."""
        state = checkpoints.get_state(BACKFILL, mailbox_id)
        cursor = RunCursor.from_json(state.cursor)
        if cursor is None:
            return False
        if checkpoints.held_elsewhere(cursor):
            self.reporter.message(
                f"conversations: the history backfill is running in {cursor.owner}; "
                "this run keeps the mirrored part fresh and leaves the backfill to it"
            )
            return False
        self._sync_conversation_stream(
            report,
            full=True,
            mailbox_id=mailbox_id,
            since=None,
            label="conversations (backfill)",
            report_as="conversations",
            resource=BACKFILL,
        )
        SyncState.objects.filter(resource="conversations", mailbox_id=mailbox_id or 0).update(
            last_full_sync_at=timezone.now()
        )
        return True

    def _hand_off(self, state, cursor: RunCursor, rr: ResourceReport, mailbox_id) -> None:
        """End the open phase: in one transaction, queue the history backfill (its own
        row) and turn this row into an incremental run from the open phase's horizon,
        which mirrors what changed while the open work was listed (a conversation that
        moved to the front of the list, one reopened behind the cursor).

        From here the checkpoint stands: incremental runs and webhooks keep everything
        mirrored so far fresh while the backfill goes on.
        """
        horizon = parse_iso(cursor.horizon) or cursor.started
        with transaction.atomic():
            backfill = checkpoints.get_state(BACKFILL, mailbox_id)
            checkpoints.save_cursor(
                backfill,
                RunCursor(
                    mode="full",
                    started_at=cursor.started_at,  # the sweep's bound: the whole run's start
                    listings=list(HISTORY_STATUSES),
                ),
                renew=False,
            )
            previous = state.checkpoint
            state.checkpoint = horizon if previous is None else max(previous, horizon)
            catch_up = RunCursor(
                mode="incremental",
                started_at=self.clock().isoformat(),
                since=isoformat(state.checkpoint - self.overlap),
            )
            state.cursor = catch_up.to_json()
            state.last_run_stats = rr.as_dict()
            state.last_error = ""
            state.save()

    @staticmethod
    def _newest_first_step(cursor: RunCursor, page, items: list) -> tuple[tuple | None, bool]:
        """The next position of a newest-first listing, and whether the listing ended.

        Newest first means page numbers (`modifiedSince` bounds from below only). A
        conversation changed during the run moves to the front: pages behind the cursor
        shift back and repeat an item, which the run writes once. One that leaves the
        list ahead of the cursor (closed by staff meanwhile) shifts the rest forward, and
        the next page would start past an item never read. Such a shift is at most what
        `totalElements` dropped by since the last page (additions go to the front, which
        only shifts the other way), so when it drops by d the run steps back
        ceil(d / page size) pages and reads forward again.
        """
        size = max(len(items), CONVERSATION_PAGE_SIZE)
        back = 0
        if cursor.total is not None and page.total_elements < cursor.total:
            back = math.ceil((cursor.total - page.total_elements) / size)
        cursor.total = page.total_elements
        if back:
            return (cursor.listing, None, max(1, page.number - back)), False
        if not items or page.number >= page.total_pages:
            return None, True
        return (cursor.listing, None, page.number + 1), False


def backfill_pending(mailbox_id: int | None, *, including_all: bool = True) -> bool:
    """Whether a phased full sync's history backfill is still to finish for this scope
    (or, for one mailbox and `including_all`, for all mailboxes)."""
    scopes = {0, mailbox_id or 0} if including_all else {mailbox_id or 0}
    return (
        SyncState.objects.filter(resource=BACKFILL, mailbox_id__in=scopes)
        .exclude(cursor={})
        .exists()
    )
