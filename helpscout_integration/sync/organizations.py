"""Sync of Teams (with members) and Organizations.

Teams are a directory: listed whole every run, each team's members listed after it
(`GET /teams/{id}/members`), membership replaced.

Organizations have no webhooks and their list items carry no modification time, so a
run re-lists them newest interaction first (`sort=lastInteractionAt,desc`, Help Scout's
default) and, for each listed organization whose list item differs from the mirrored one
(or that is not mirrored), reads it once with `includeCounts` and `includeProperties`:

- a full run (the first, or `--full`) lists every page, resumable from the last
  committed page, and when it ran in one go removes mirrored organizations it did not
  see (deleted in Help Scout);
- an incremental run stops after the first page on which nothing changed.

What an incremental run cannot see: an edit that changes neither an organization's list
item (name, website, domains...) nor its place in the order, such as a property value
an agent set or a count that moved, is picked up by the next `--full` run
(docs/organizations.md). Sorting newest-first also means a page boundary can only
repeat an item, never skip one, when an organization moves to the top during a run.

Never called by webhook processing; never deletes a customer or a conversation.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.db import transaction

from ..exceptions import NotFoundError, PermissionDeniedError
from ..models import Organization
from . import checkpoints
from .bulk import values_where_in
from .checkpoints import RunCursor
from .progress import Reporter
from .stats import ResourceReport, SyncReport
from .upsert import UpsertResult
from .upsert_organizations import set_team_members, upsert_organizations, upsert_teams

ORGANIZATION_SORT = "lastInteractionAt,desc"
DELETE_CHUNK = 500


def listed_unchanged(item: dict, stored: dict | None) -> bool:
    """Whether a list item says nothing new about the mirrored organization's JSON."""
    return stored is not None and all(stored.get(key) == value for key, value in item.items())


class OrganizationSync:
    """Teams and organizations (mixed into `SyncEngine`, which provides these)."""

    client: Any
    reporter: Reporter
    clock: Callable[[], datetime]
    page_hook: Callable[[str, int], None] | None

    def sync_teams(self, report: SyncReport) -> ResourceReport:
        rr = report.for_resource("teams")
        rr.mode = "full"
        state = checkpoints.get_state("teams")
        cursor = RunCursor(mode="full", started_at=self.clock().isoformat())
        self.reporter.start("teams", None)
        try:
            try:
                teams = list(self.client.teams.list())
            except (NotFoundError, PermissionDeniedError) as exc:
                return self._unavailable("teams", state, rr, exc)
            rr.result = rr.result + upsert_teams(teams, skip_invalid=True)
            rr.pages += 1
            rr.items += len(teams)
            for team in teams:
                if isinstance(team, dict) and isinstance(team.get("id"), int):
                    set_team_members(team["id"], self.client.teams.members(team["id"]))
                    self.reporter.advance("teams", 1, len(teams), rr.result)
            checkpoints.complete_run(state, cursor, rr.as_dict())
        except BaseException as exc:
            checkpoints.record_error(state, exc)
            raise
        finally:
            self.reporter.finish("teams", rr)
        return rr

    def sync_organizations(self, report: SyncReport, *, full: bool = False) -> ResourceReport:
        rr = report.for_resource("organizations")
        state = checkpoints.get_state("organizations")
        cursor = RunCursor.from_json(state.cursor)
        if cursor and checkpoints.held_elsewhere(cursor):
            rr.mode = "skipped"
            self.reporter.message(f"organizations: a sync is running in {cursor.owner}")
            return rr
        resumed = cursor is not None and cursor.mode == "full" and cursor.pages_done > 0
        if resumed and cursor is not None:
            rr.resumed_from_page = cursor.page
            self.reporter.message(
                f"organizations: resuming an interrupted full sync at page {cursor.page}"
            )
        else:
            first = state.last_full_sync_at is None
            mode = "full" if full or first else "incremental"
            cursor = RunCursor(mode=mode, started_at=self.clock().isoformat())
        assert cursor is not None
        checkpoints.claim(cursor)
        checkpoints.save_cursor(state, cursor)
        rr.mode = cursor.mode
        self.reporter.start("organizations", None, rr.resumed_from_page)
        seen: set[int] = set()
        try:
            try:
                pages = self.client.organizations.pages(cursor.page, sort=ORGANIZATION_SORT)
                for page in pages:
                    changed = self._organization_page(state, cursor, rr, page, seen)
                    if cursor.mode == "incremental" and not changed:
                        break
            except (NotFoundError, PermissionDeniedError) as exc:
                if cursor.pages_done:
                    raise
                return self._unavailable("organizations", state, rr, exc)
            if cursor.mode == "full" and not resumed:
                rr.result.deleted += _remove_unseen(seen)
            checkpoints.complete_run(state, cursor, rr.as_dict())
        except BaseException as exc:
            state.refresh_from_db()  # the position of the last committed page, not ours
            checkpoints.record_error(state, exc)
            checkpoints.release(state)
            raise
        finally:
            self.reporter.finish("organizations", rr)
        return rr

    def _organization_page(self, state, cursor: RunCursor, rr: ResourceReport, page, seen) -> int:
        """Write one list page (reading each changed organization in full); returns how
        many of its organizations changed."""
        items = [item for item in page.items if isinstance(item, dict)]
        ids = [item["id"] for item in items if isinstance(item.get("id"), int)]
        seen.update(ids)
        stored = {
            pk: data
            for pk, placeholder, data in values_where_in(
                Organization, "id", ids, ("id", "is_placeholder", "data")
            )
            if not placeholder
        }
        changed = [item for item in items if not listed_unchanged(item, stored.get(item.get("id")))]
        details = [
            self.client.organizations.get(item["id"], counts=True, properties=True)
            for item in changed
        ]
        with transaction.atomic():
            result = upsert_organizations(details, skip_invalid=True)
            rr.result = rr.result + result + UpsertResult(unchanged=len(items) - len(changed))
            rr.pages += 1
            rr.items += len(items)
            cursor.page = page.number + 1
            cursor.pages_done += 1
            cursor.items_done += len(items)
            cursor.total = page.total_elements
            checkpoints.save_cursor(state, cursor)
            if self.page_hook:
                self.page_hook("organizations", cursor.pages_done)
        self.reporter.advance("organizations", len(items), page.total_elements, rr.result)
        return len(changed)

    def _unavailable(self, resource: str, state, rr: ResourceReport, exc) -> ResourceReport:
        """The account has no access to `resource` (plan or scope): reported, not failed."""
        rr.mode = "unavailable"
        checkpoints.save_cursor(state, None)
        self.reporter.message(f"{resource}: not available to these credentials ({exc})")
        return rr


def _remove_unseen(seen: set[int]) -> int:
    """Remove mirrored organizations a complete full listing did not show (customers keep
    their rows; their `organization` becomes empty)."""
    gone = [
        pk
        for pk in Organization.objects.filter(is_placeholder=False).values_list("id", flat=True)
        if pk not in seen
    ]
    for start in range(0, len(gone), DELETE_CHUNK):
        Organization.objects.filter(pk__in=gone[start : start + DELETE_CHUNK]).delete()
    return len(gone)
