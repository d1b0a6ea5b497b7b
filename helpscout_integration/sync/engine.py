"""Full and incremental sync of Help Scout into the mirror, resumable page by page.

The engine asks the client for pages and hands them to the mirror writer; it never reads
Help Scout's JSON itself (payloads/ does) and never writes rows but through upsert.py.
It decides what each resource lists and how it is written, and owns the run's cursor;
the page loop (`paging.PagedListing`) writes pages with that cursor in transactions that
commit a page, or a group of pages that had already arrived, so a run killed at any
moment resumes at the first page whose rows were not committed.

Paging (see docs/sync.md, "Pagination drift"): conversations and customers are listed
sorted by `modifiedAt` ascending. After each page the next request starts again at page 1
with `modifiedSince` moved up to the page's last modification time (minus one second,
as Help Scout's times have one-second resolution), a keyset cursor that an item changing
during the run cannot shift. When a page is not in modification order, or a whole page
shares one second, the engine pages by number under the same `modifiedSince` instead; the
overlap window of the next run and the idempotent writer cover what that might miss.
The conversation listing of a first or full sync is split in phases (open work first,
newest first by page number, then the history): `phases.PhasedFirstSync`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from ..models import Conversation, Mailbox
from ..payloads import modification_time, parse_customer
from . import checkpoints
from .checkpoints import RunCursor, isoformat
from .fetch import fetch_conversation
from .organizations import OrganizationSync
from .paging import PagedListing
from .phases import (  # noqa: F401  (BACKFILL, backfill_pending: part of the engine's API)
    BACKFILL,
    NEWEST_FIRST,
    PhasedFirstSync,
    backfill_pending,
)
from .progress import Reporter
from .stats import ResourceReport, SyncReport, client_counter
from .transcripts import complete_transcripts
from .upsert import (
    UpsertResult,
    upsert_agents,
    upsert_conversations,
    upsert_customers,
    upsert_mailboxes,
    upsert_tags,
)
from .user_statuses import sync_user_statuses

logger = logging.getLogger(__name__)

#: Resources in the order a full sync runs them (referenced objects first).
RESOURCES = (
    "mailboxes",
    "agents",
    "teams",
    "tags",
    "organizations",
    "customers",
    "conversations",
)
ALL_RESOURCES = (*RESOURCES, "docs")
#: How far before the checkpoint an incremental run starts, for clock skew and for items
#: that moved under a page boundary in the previous run.
DEFAULT_OVERLAP = timedelta(minutes=5)
DIRECTORY_BATCH = 50
#: Ids of unseen conversations the deletion sweep reads at a time (see `_sweep_conversations`).
SWEEP_CHUNK = 500
#: Longest a group of pages stays in one transaction (see `paging.PagedListing._page_loop`).
DEFAULT_COMMIT_INTERVAL = 0.25
CONVERSATION_LIST_PARAMS = {
    "status": "all",
    "embed": "threads",
    "sortField": "modifiedAt",
    "sortOrder": "asc",
}
PageHook = Callable[[str, int], None]


class SyncEngine(PhasedFirstSync, OrganizationSync, PagedListing):
    """Runs syncs with one client.

    `page_hook(resource, pages_done)` is called after each page's rows are written, inside
    the transaction of its commit group (tests raise from it to simulate a crash; an
    exception there rolls the open group back). `commit_interval` caps how long a group
    of pages already fetched shares one transaction; 0 commits every page on its own.
    """

    def __init__(
        self,
        client: Any,
        *,
        reporter: Reporter | None = None,
        overlap: timedelta = DEFAULT_OVERLAP,
        page_hook: PageHook | None = None,
        reconcile: bool = True,
        prefetch: bool = True,
        commit_interval: float = DEFAULT_COMMIT_INTERVAL,
        clock: Callable[[], datetime] = timezone.now,
    ) -> None:
        self.client = client
        self.reporter = reporter or Reporter()
        self.overlap = overlap
        self.page_hook = page_hook
        self.reconcile = reconcile
        self.prefetch = prefetch
        self.commit_interval = commit_interval
        self.clock = clock
        #: Mailbox scopes (0: all) whose open work this engine already looked at, and
        #: whether it began a phased full sync there.
        self._open_work: dict[int, bool] = {}
        self._phase_items = 0
        self._observed_at: datetime | None = None

    # --- entry point -------------------------------------------------------------------

    def run(
        self,
        resources: Iterable[str] | None = None,
        *,
        full: bool = False,
        mailbox_id: int | None = None,
        since: datetime | None = None,
    ) -> SyncReport:
        """Sync `resources` (default: all but docs) and return what happened."""
        names = list(resources or RESOURCES)
        unknown = [name for name in names if name not in ALL_RESOURCES]
        if unknown:
            raise ValueError(f"Unknown resource(s) {unknown}; choose from {ALL_RESOURCES}.")
        report = SyncReport()
        self._open_work = {}
        counters = ("requests", "rate_limit_waits", "rate_limit_wait_seconds", "retries")
        before = {name: client_counter(self.client, name) for name in counters}
        started = time.monotonic()
        try:
            for name in sorted(names, key=ALL_RESOURCES.index):
                if name == "docs":
                    self.sync_docs(report)
                elif name in ("mailboxes", "agents", "tags"):
                    self.sync_directory(name, report)
                    if name == "agents":  # their availability comes with them
                        sync_user_statuses(self.client)
                elif name == "teams":
                    self.sync_teams(report)
                elif name == "organizations":
                    self.sync_organizations(report, full=full)
                elif name == "customers":
                    if "conversations" in names:  # today's work before the customer list
                        self.sync_open_work(report, full=full, mailbox_id=mailbox_id, since=since)
                    self.sync_customers(report, full=full, mailbox_id=mailbox_id, since=since)
                else:
                    self.sync_conversations(report, full=full, mailbox_id=mailbox_id, since=since)
        finally:
            report.seconds = time.monotonic() - started
            after = {name: client_counter(self.client, name) for name in counters}
            report.requests = int(after["requests"] - before["requests"])
            report.rate_limit_waits = int(after["rate_limit_waits"] - before["rate_limit_waits"])
            report.rate_limit_wait_seconds = float(
                after["rate_limit_wait_seconds"] - before["rate_limit_wait_seconds"]
            )
            report.retries = int(after["retries"] - before["retries"])
        return report

    # --- small resources: listed whole every run ---------------------------------------

    def sync_directory(self, resource: str, report: SyncReport) -> ResourceReport:
        listing, write = {
            "mailboxes": (lambda: self.client.mailboxes.list(), upsert_mailboxes),
            "agents": (lambda: self.client.users.list(), upsert_agents),
            "tags": (lambda: self.client.tags.list(), upsert_tags),
        }[resource]
        rr = report.for_resource(resource)
        rr.mode = "full"
        state = checkpoints.get_state(resource)
        cursor = RunCursor(mode="full", started_at=self.clock().isoformat())
        self.reporter.start(resource, None)
        try:
            batch: list[dict] = []
            for item in listing():
                batch.append(item)
                if len(batch) >= DIRECTORY_BATCH:
                    self._write_batch(resource, rr, batch, write)
                    batch = []
            if batch:
                self._write_batch(resource, rr, batch, write)
            checkpoints.complete_run(state, cursor, rr.as_dict())
        except BaseException as exc:
            checkpoints.record_error(state, exc)
            raise
        finally:
            self.reporter.finish(resource, rr)
        return rr

    def _write_batch(self, resource, rr, batch, write) -> None:
        result = write(batch, skip_invalid=True)
        rr.result = rr.result + result
        rr.pages += 1
        rr.items += len(batch)
        self.reporter.advance(resource, len(batch), None, rr.result)

    # --- large resources: paged, checkpointed, resumable -----------------------------

    def sync_customers(self, report, *, full=False, mailbox_id=None, since=None):
        def fetch(start_page, **params):
            return self._pages(self.client.customers, start_page, params)

        def time_of(item):
            return parse_customer(item).hs_updated_at

        params = {"sortField": "modifiedAt", "sortOrder": "asc"}
        if mailbox_id:
            params["mailbox"] = mailbox_id
        return self._sync_stream(
            "customers",
            report,
            fetch=fetch,
            write=lambda items: upsert_customers(
                items, skip_invalid=True, observed_at=self._observed_at
            ),
            time_of=time_of,
            params=params,
            full=full,
            since=since,
            mailbox_id=mailbox_id,
        )

    def _sync_conversation_stream(
        self,
        report,
        *,
        full,
        mailbox_id,
        since,
        label="conversations",
        resource="conversations",
        report_as=None,
    ):
        def fetch(start_page, **params):
            return self._pages(self.client.conversations, start_page, params)

        params = dict(CONVERSATION_LIST_PARAMS)
        if mailbox_id:
            params["mailbox"] = mailbox_id
        return self._sync_stream(
            resource,
            report,
            fetch=fetch,
            write=self._write_conversations,
            time_of=modification_time,
            params=params,
            full=full,
            since=since,
            mailbox_id=mailbox_id,
            sweep=self._sweep_conversations,
            label=label,
            report_as=report_as,
        )

    def _write_conversations(self, items: list[dict]):
        # Chat transcripts come truncated on list pages: List Threads has them whole.
        items, _requests = complete_transcripts(self.client, items)
        return upsert_conversations(
            items, source="sync", skip_invalid=True, observed_at=self._observed_at
        )

    def _sync_stream(
        self,
        resource: str,
        report: SyncReport,
        *,
        fetch: Callable[..., Iterator],
        write: Callable[[list[dict]], UpsertResult],
        time_of: Callable[[dict], datetime | None],
        params: dict,
        full: bool,
        since: datetime | None,
        mailbox_id: int | None,
        sweep: Callable | None = None,
        label: str | None = None,
        report_as: str | None = None,
    ) -> ResourceReport:
        """Run (or resume) one listing of `resource` under its SyncState row.

        `label` names the phase in progress lines; `report_as` the report entry it adds
        to (the phases of one conversation sync add up to one "conversations" line).
        """
        label = label or resource
        state = checkpoints.get_state(resource, mailbox_id)
        cursor = RunCursor.from_json(state.cursor)
        if cursor and full and cursor.mode != "full":
            cursor = None  # a full sync was asked for: drop an unfinished incremental run
        rr = report.for_resource(report_as or label)
        if cursor and checkpoints.held_elsewhere(cursor):
            rr.mode = rr.mode or "skipped"
            self.reporter.message(
                f"{label}: a {cursor.mode} sync is running in {cursor.owner}; left to it"
            )
            return rr
        if cursor:
            # A cursor some run held before (not one a phase just handed on) is resumed.
            if cursor.rate_since is not None and rr.resumed_from_page is None:
                rr.resumed_from_page = cursor.pages_done + 1
                self.reporter.message(
                    f"{label}: resuming an interrupted {cursor.mode} sync after "
                    f"{cursor.pages_done} committed page(s)"
                )
        else:
            cursor = self._new_cursor(state, full=full, since=since)
        checkpoints.claim(cursor)
        checkpoints.save_cursor(state, cursor)
        # Every page of this listing was read after the run began: Help Scout's answer
        # then, which a tombstone set before it cannot block (see newest_wins._revives).
        self._observed_at = cursor.started
        rr.mode = rr.mode or cursor.mode
        self._phase_items = 0  # the progress lines count each phase on its own
        self.reporter.start(label, None, rr.resumed_from_page)
        try:
            if cursor.phase in ("open", "handoff"):
                open_params = {**params, "sortOrder": NEWEST_FIRST}
                self._page_loop(label, state, cursor, rr, fetch, write, time_of, open_params)
                self._hand_off(state, cursor, rr, mailbox_id)
                return rr
            if cursor.phase == "pages":
                self._page_loop(label, state, cursor, rr, fetch, write, time_of, params)
            if cursor.mode == "full" and sweep is not None:
                sweep(cursor, rr, mailbox_id)
            checkpoints.complete_run(state, cursor, rr.as_dict())
        except BaseException as exc:
            checkpoints.record_error(state, exc)
            checkpoints.release(state)
            raise
        finally:
            self.reporter.finish(label, rr)
        return rr

    def _new_cursor(self, state, *, full: bool, since: datetime | None) -> RunCursor:
        started = self.clock()
        if full or (since is None and state.checkpoint is None):
            return RunCursor(mode="full", started_at=started.isoformat())
        from_checkpoint = checkpoints.incremental_since(state, self.overlap)
        start_from = since or from_checkpoint
        # An explicit --since later than the checkpoint leaves a gap: keep the checkpoint.
        advance = from_checkpoint is not None and (since is None or since <= from_checkpoint)
        return RunCursor(
            mode="incremental",
            started_at=started.isoformat(),
            since=isoformat(start_from),
            advance_checkpoint=advance or since is None,
        )

    # --- deletions ---------------------------------------------------------------------

    def _sweep_conversations(self, cursor: RunCursor, rr: ResourceReport, mailbox_id) -> None:
        """After a full listing: confirm every mirrored conversation the run did not see.

        The writer stamps `synced_at` on every conversation a sync page carried, so the
        ones stamped before this run started were not listed. Each is fetched once: 404
        means deleted (marked, kept); 301 means merged (marked merged into the survivor and
        deleted, the survivor fetched); otherwise the answer is written (moved to another
        mailbox, or listed late).
        """
        unseen = unseen_conversations(cursor.started, mailbox_id)
        # In chunks by id (keyset), so memory does not grow with the mirror: each chunk
        # starts after the last id of the one before, so an id is confirmed at most once
        # even though confirming changes the rows the filter matches (an offset would
        # skip rows as confirmed ones leave it), and a row written meanwhile (by a
        # webhook, or a merge's survivor) has a new `synced_at` and is not picked up.
        rest = unseen
        while True:
            chunk = list(rest.values_list("id", flat=True)[:SWEEP_CHUNK])
            for conversation_id in chunk:
                self._confirm_conversation(conversation_id, rr)
            if len(chunk) < SWEEP_CHUNK:
                return
            rest = unseen.filter(id__gt=chunk[-1])

    def _confirm_conversation(self, conversation_id: int, rr: ResourceReport) -> None:
        """Fetch one unlisted conversation: 404 marks it deleted; a 301 (merged) marks it
        merged into the survivor and deleted, and mirrors the survivor instead."""
        outcome = fetch_conversation(self.client, conversation_id, source="sync", skip_invalid=True)
        rr.result = rr.result + outcome.result
        rr.result.deleted += outcome.deleted

    def _reconcile_counts(self, report: SyncReport, mailbox_id: int | None) -> None:
        """Incremental runs cannot see deletions (deleted conversations leave the lists).

        Per mailbox, compare Help Scout's count (one request) with the mirror's; when they
        differ, run a full pass of that mailbox, whose sweep finds what is gone.
        """
        mailbox_ids = (
            [mailbox_id]
            if mailbox_id
            else list(Mailbox.objects.order_by("id").values_list("id", flat=True))
        )
        for mid in mailbox_ids:
            if backfill_pending(mid):
                continue  # its history is still coming in: the counts cannot agree yet
            pages = self._pages(self.client.conversations, 1, {"status": "all", "mailbox": mid})
            try:
                first = next(iter(pages), None)
            finally:
                close = getattr(pages, "close", None)
                if close:
                    close()
            remote = first.total_elements if first is not None else 0
            local = Conversation.objects.filter(
                mailbox_id=mid, is_deleted=False, is_placeholder=False, merged_into__isnull=True
            ).count()
            if local != remote:
                self.reporter.message(
                    f"conversations: mailbox {mid} has {remote} in Help Scout and {local} "
                    "mirrored; reconciling it with a full pass"
                )
                self._sync_conversation_stream(
                    report,
                    full=True,
                    mailbox_id=mid,
                    since=None,
                    label=f"conversations (mailbox {mid})",
                )

    # --- Docs ----------------------------------------------------------------------------

    def sync_docs(self, report: SyncReport) -> ResourceReport:
        from .docs import sync_docs  # written alongside the Beacon feature; imported lazily

        rr = report.for_resource("docs")
        rr.mode = "full"
        self.reporter.start("docs", None)
        try:
            outcome = sync_docs(self.client)
            if isinstance(outcome, UpsertResult):
                rr.result = outcome
                # Docs are listed whole: every article listed is created, updated or
                # unchanged (deleted ones were not listed).
                rr.items = outcome.created + outcome.updated + outcome.unchanged
            elif isinstance(outcome, dict):
                for key in ("created", "updated", "unchanged", "deleted"):
                    setattr(rr.result, key, int(outcome.get(key, 0) or 0))
            elif isinstance(outcome, int):
                rr.items = outcome
        finally:
            self.reporter.finish("docs", rr)
        return rr


def unseen_conversations(started: datetime, mailbox_id: int | None = None):
    """Mirrored conversations no sync page carried since `started`, by id: what the
    deletion sweep of a full sync confirms one by one."""
    # Conversations already pointed at a survivor (their threads moved there) are
    # confirmed too: only Help Scout's 301 or 404 says they are gone.
    unseen = Conversation.objects.filter(
        is_deleted=False, is_placeholder=False, synced_at__lt=started
    ).order_by("id")
    if mailbox_id:
        unseen = unseen.filter(mailbox_id=mailbox_id)
    return unseen


def run_sync(client: Any = None, **kwargs: Any) -> SyncReport:
    """Run a sync with a client built from settings (or the one given); see `SyncEngine.run`."""
    engine_options = {
        key: kwargs.pop(key)
        for key in ("reporter", "overlap", "page_hook", "commit_interval")
        if key in kwargs
    }
    if client is not None:
        return SyncEngine(client, **engine_options).run(**kwargs)
    from ..client import HelpScoutClient

    with HelpScoutClient.from_settings() as own_client:
        return SyncEngine(own_client, **engine_options).run(**kwargs)
