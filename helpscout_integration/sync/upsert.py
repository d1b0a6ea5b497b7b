"""The mirror writer: Help Scout payloads -> mirror rows, in bulk, newest state wins.

Used by sync and by webhook processing alike. Every function writes a whole batch in one
transaction with a constant number of queries (no per-row queries), creates placeholder
rows for referenced objects not mirrored yet (and never overwrites a real row with one),
and never lets an older payload overwrite newer state. It never deletes a conversation:
deletion is a mark (`is_deleted`, `deleted_at`). It never calls Help Scout.

Which payload wins over a row (newest state, tombstones, fresh reads of Help Scout) is
decided by `newest_wins.py`; which embedded threads a page writes or removes, by
`upsert_threads.py`; deletions and merges are marked by `tombstones.py`. This module
applies those rules per resource and writes the rows. A customer erased here
(erasure.ledger) stays erased whatever Help Scout answers: it is filtered out here.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime
from functools import partial

from django.db import models, transaction
from django.utils import timezone

from ..erasure.ledger import erased_customer_ids, without_erased
from ..exceptions import PayloadError
from ..models import (
    Agent,
    Conversation,
    Customer,
    Mailbox,
    Organization,
    SatisfactionRating,
    Tag,
    Team,
)
from ..payloads import (
    ParsedConversation,
    PersonRef,
    parse_conversation,
    parse_customer,
    parse_mailbox,
    parse_rating,
    parse_tag,
    parse_user,
)
from ..signals import conversation_synced
from .bulk import insert_links, update_where_in, upsert_many, upsert_rows, values_where_in
from .newest_wins import UpsertResult, _decide, _dedupe, _revives, _writing
from .tombstones import (
    delete_tag,
    mark_conversation_deleted,
    mark_conversation_merged,
    mark_conversations_deleted,
    mark_customer_deleted,
    merge_sources,
)
from .upsert_threads import _bringing_new_threads, _read_threads, _write_threads

logger = logging.getLogger(__name__)

__all__ = [
    "UpsertResult",
    "delete_tag",
    "mark_conversation_deleted",
    "mark_conversation_merged",
    "mark_conversations_deleted",
    "mark_customer_deleted",
    "merge_sources",
    "upsert_agents",
    "upsert_conversations",
    "upsert_customers",
    "upsert_mailboxes",
    "upsert_rating",
    "upsert_tags",
]


def parse_each(parser, payloads: Iterable, kind: str, skip_invalid: bool, result: UpsertResult):
    """Every payload parsed, in order; an invalid one raises with its index, or (with
    `skip_invalid`) is counted in `result.invalid` and logged without its content."""
    parsed = []
    for index, payload in enumerate(payloads):
        try:
            parsed.append(parser(payload))
        except PayloadError as exc:
            if not skip_invalid:
                raise PayloadError(f"{kind} payload #{index}: {exc}") from exc
            result.invalid += 1
            logger.warning("Skipped an invalid %s payload (#%d): %s", kind, index, exc)
    return parsed


def _parse_all(parser, payloads: Iterable, kind: str, skip_invalid: bool, result: UpsertResult):
    """`parse_each`, then one item per id by newest-wins."""
    return _dedupe(parse_each(parser, payloads, kind, skip_invalid, result))


def _ensure_placeholders(model: type[models.Model], rows: dict[int, dict]) -> None:
    """Create rows known by id only; existing rows (real or not) are left untouched."""
    if rows:
        upsert_rows(model, list(rows.values()), update=())


def _person_placeholder(model, ref: PersonRef) -> dict:
    values = {
        "id": ref.id,
        "first_name": ref.first_name,
        "last_name": ref.last_name,
        "email": ref.email,
        "is_placeholder": True,
    }
    if model is Customer:
        values["emails"] = [ref.email] if ref.email else []
    return values


def _upsert_simple(
    model, parser, payloads, kind: str, skip_invalid: bool, observed_at: datetime | None = None
) -> UpsertResult:
    """Upsert objects that reference nothing: mailboxes, agents, tags, customers.

    `observed_at`: when the read of Help Scout that returned `payloads` began (a listing
    or a get), None for a webhook body; see `_revives`.
    """
    result = UpsertResult()
    parsed = _parse_all(parser, payloads, kind, skip_invalid, result)
    if not parsed:
        return result
    with _writing():
        if model is Customer:  # organizationId -> a placeholder until organizations sync
            _ensure_placeholders(
                Organization,
                {
                    org: {"id": org, "is_placeholder": True}
                    for p in parsed
                    if (org := p.fields.get("organization_id"))
                },
            )
        existing = {
            pk: (t, ph, data)
            for pk, t, ph, data in values_where_in(
                model,
                "id",
                [p.id for p in parsed],
                ("id", "hs_updated_at", "is_placeholder", "data"),
            )
        }
        # A deleted customer's tombstone time is its `synced_at` (set when it was marked
        # deleted, and never after: a tombstoned row is not written). A payload does not
        # bring it back, even when it arrives after the `customer.deleted` webhook; a
        # fresh read of Help Scout made after the tombstone does (Help Scout has it).
        tombstones = (
            dict(
                Customer.objects.filter(pk__in=list(existing), is_deleted=True).values_list(
                    "id", "synced_at"
                )
            )
            if model is Customer and existing
            else {}
        )
        # Nor one erased here (erasure.ledger), mirrored or not, whatever Help Scout says.
        erased = erased_customer_ids(p.id for p in parsed) if model is Customer else set()
        to_write = []
        for item in parsed:
            tombstone = tombstones.get(item.id)
            verdict = _decide(
                item.hs_updated_at,
                item.fields["data"],
                existing.get(item.id),
                revive=_revives(tombstone, observed_at),
            )
            if item.id in erased or (
                item.id in tombstones and not _revives(tombstone, observed_at)
            ):
                verdict = "stale"
            if verdict in ("create", "update"):
                if verdict == "create":
                    result.created += 1
                else:
                    result.updated += 1
                to_write.append({"id": item.id, **item.fields})
            else:
                result.unchanged += 1
                result.stale += verdict == "stale"
        upsert_rows(model, to_write, update=None)
    return result


def upsert_mailboxes(payloads: Iterable[dict], *, skip_invalid: bool = False) -> UpsertResult:
    return _upsert_simple(Mailbox, parse_mailbox, payloads, "mailbox", skip_invalid)


def upsert_agents(payloads: Iterable[dict], *, skip_invalid: bool = False) -> UpsertResult:
    """Help Scout users (`/users`) -> Agent rows."""
    return _upsert_simple(Agent, parse_user, payloads, "user", skip_invalid)


def upsert_tags(payloads: Iterable[dict], *, skip_invalid: bool = False) -> UpsertResult:
    return _upsert_simple(Tag, parse_tag, payloads, "tag", skip_invalid)


def upsert_customers(
    payloads: Iterable[dict], *, skip_invalid: bool = False, observed_at: datetime | None = None
) -> UpsertResult:
    """`observed_at`: when the listing or get that returned `payloads` began (None for a
    webhook body): a customer it returns live is live, whatever older tombstone."""
    return _upsert_simple(Customer, parse_customer, payloads, "customer", skip_invalid, observed_at)


# --- conversations ---------------------------------------------------------------------


def upsert_conversations(
    payloads: Iterable[dict],
    *,
    source: str = "sync",
    skip_invalid: bool = False,
    observed_at: datetime | None = None,
) -> UpsertResult:
    """Write conversations with their embedded threads, tags, customer and references.

    One transaction and a constant number of queries per call, whatever its size.
    Threads are merged by id when the payload embeds them. A thread the mirror holds but
    the payload lacks is removed only when the payload is provably newer (its version is
    after the row's and after that thread's creation) and complete (it embeds as many
    threads as its `threads` count); a same-version payload only adds threads the mirror
    lacks; an older one changes nothing. Tags are written when the payload lists them.
    `conversation_synced` is sent for each written conversation after commit.

    `observed_at` is when the read of Help Scout that returned `payloads` began (a sync
    listing or a get), None for a webhook body. A fresh read is Help Scout's truth: a
    conversation it returns live is revived from a tombstone set before that moment,
    and no longer points at a merge survivor.
    """
    result = UpsertResult()
    parsed: list[ParsedConversation] = _parse_all(
        parse_conversation, payloads, "conversation", skip_invalid, result
    )
    if parsed:
        write_parsed_conversations(parsed, source=source, result=result, observed_at=observed_at)
    return result


def write_parsed_conversations(
    parsed: list[ParsedConversation],
    *,
    source: str,
    result: UpsertResult,
    observed_at: datetime | None = None,
) -> list[int]:
    """Write already parsed conversations (see `upsert_conversations`); returns the ids
    written."""
    parsed, skipped = without_erased(parsed)  # an erased customer never comes back
    result.unchanged += skipped
    result.stale += skipped
    with _writing():
        existing = {
            row[0]: row[1:]
            for row in values_where_in(
                Conversation,
                "id",
                [p.id for p in parsed],
                (
                    "id",
                    "hs_updated_at",
                    "is_placeholder",
                    "data",
                    "is_deleted",
                    "deleted_at",
                    "merged_into_id",
                ),
            )
        }
        written: list[tuple[ParsedConversation, bool]] = []
        same_version: list[ParsedConversation] = []
        for item in parsed:
            row = existing.get(item.id)
            tombstone = row[4] if row and row[3] and not item.is_deleted else None
            # A fresh read returning it live, unmerged, contradicts a merge hint too.
            unmerged = (
                observed_at is not None
                and row is not None
                and row[5] is not None
                and not item.is_deleted
                and not item.merged_into_id
            )
            verdict = _decide(
                item.hs_updated_at,
                item.fields["data"],
                row[:3] if row else None,
                tombstone=tombstone,
                revive=_revives(tombstone, observed_at) or unmerged,
            )
            if verdict == "create" or (verdict == "update" and row and row[1] and tombstone):
                result.created += 1
                written.append((item, True))
            elif verdict == "update":
                result.updated += 1
                written.append((item, False))
            elif verdict == "unchanged" and item.threads:
                same_version.append(item)
            else:
                result.unchanged += 1
                result.stale += verdict == "stale"
        # The same version of a conversation may still bring threads the mirror lacks (a
        # webhook body without threads, then a fetch of that version): write just those.
        # An older payload adds nothing: a thread deleted since must not come back, so
        # any order of deliveries ends where the in-order one does.
        completed = _bringing_new_threads(same_version, fresh=observed_at is not None)
        result.updated += len(completed)
        result.unchanged += len(same_version) - len(completed)
        new_ids = {item.id for item, _ in written if item.id not in existing}
        # Only a newer, complete payload may remove threads it does not carry.
        prune = {
            item.id: item.hs_updated_at
            for item, _ in written
            if item.complete and item.hs_updated_at is not None
        }
        # Every read of the page comes before its first write: in a pipeline (see
        # bulk.pipelined) the writes then run on the server while Python goes on.
        threads = _read_threads(
            completed + [item for item, _ in written if item.threads is not None],
            new_ids,
            prune=prune,
            only_new={item.id for item in completed},
            fresh=observed_at is not None,
        )
        if source == "sync":
            # A sync saw these in Help Scout: record it, so a full sync can tell which
            # mirrored conversations Help Scout no longer lists (see engine.py).
            written_ids = {item.id for item, _ in written}
            seen = [item.id for item in parsed if item.id not in written_ids]
            if seen:
                update_where_in(Conversation, seen, {"synced_at": timezone.now()})
        _write_references([item for item, _ in written] + completed)

        rows: list[dict[str, object]] = []
        new_rows: list[dict[str, object]] = []
        for item, _created in written:
            row = existing.get(item.id)
            # Merge info only comes with some payloads: keep what we knew otherwise,
            # unless Help Scout's own fresh answer says the conversation is live.
            merged_into_id = item.merged_into_id
            if not merged_into_id and row and (observed_at is None or item.is_deleted):
                merged_into_id = row[5]
            (rows if row else new_rows).append(
                {"id": item.id, **item.fields, "merged_into_id": merged_into_id}
            )
        upsert_rows(Conversation, rows, update=None)
        upsert_rows(Conversation, new_rows, update=None, absent=True)
        _write_threads(threads)
        _write_tags([item for item, _ in written if item.tags is not None], new_ids)

        if (written or completed) and conversation_synced.has_listeners():
            flags = {item.id: False for item in completed}
            flags.update({item.id: created for item, created in written})
            transaction.on_commit(partial(_send_synced, flags, source))
    return [item.id for item in completed] + [item.id for item, _ in written]


def _write_references(items: list[ParsedConversation]) -> None:
    """Placeholders for every mailbox, agent, customer, tag and survivor referenced."""
    mailboxes: dict[int, dict] = {}
    agents: dict[int, dict] = {}
    teams: dict[int, dict] = {}
    customers: dict[int, dict] = {}
    tags: dict[int, dict] = {}
    survivors: dict[int, dict] = {}
    ids = {item.id for item in items}
    for item in items:
        if item.mailbox_id:
            mailboxes[item.mailbox_id] = {"id": item.mailbox_id, "is_placeholder": True}
        if item.assignee:
            agents[item.assignee.id] = _person_placeholder(Agent, item.assignee)
        if item.assignee_team:
            teams[item.assignee_team.id] = {
                "id": item.assignee_team.id,
                "name": item.assignee_team.first_name,
                "is_placeholder": True,
            }
        if item.customer:
            customers[item.customer.id] = _person_placeholder(Customer, item.customer)
        for thread in item.threads or ():
            if thread.customer and thread.customer.id not in customers:
                customers[thread.customer.id] = _person_placeholder(Customer, thread.customer)
        for tag in item.tags or ():
            if tag.id is not None:
                tags[tag.id] = {
                    "id": tag.id,
                    "name": tag.name,
                    "slug": tag.name.lower(),
                    "color": tag.color,
                    "is_placeholder": True,
                }
        if item.merged_into_id and item.merged_into_id not in ids:
            survivors[item.merged_into_id] = {"id": item.merged_into_id, "is_placeholder": True}
    # Existing rows (real or not) are left untouched; one round trip where possible.
    upsert_many(
        [
            (Mailbox, list(mailboxes.values())),
            (Agent, list(agents.values())),
            (Team, list(teams.values())),
            (Customer, list(customers.values())),
            (Tag, list(tags.values())),
            (Conversation, list(survivors.values())),
        ],
        update=(),
    )


def _write_tags(items: list[ParsedConversation], new_ids: set[int]) -> None:
    if not items:
        return
    through = Conversation.tags.through
    by_name: dict[str, int] = {}
    unnamed = {t.name.lower() for item in items for t in item.tags or () if t.id is None and t.name}
    if unnamed:  # tags given by name only: resolve against mirrored tags in one query
        for pk, slug, name in Tag.objects.filter(
            models.Q(slug__in=unnamed) | models.Q(name__in=unnamed)
        ).values_list("id", "slug", "name"):
            by_name.setdefault(slug.lower(), pk)
            by_name.setdefault(name.lower(), pk)
    links = set()
    for item in items:
        for tag in item.tags or ():
            tag_id = tag.id if tag.id is not None else by_name.get(tag.name.lower())
            if tag_id is not None:
                links.add((item.id, tag_id))
    known = [item.id for item in items if item.id not in new_ids]
    if known:
        through.objects.filter(conversation_id__in=known).delete()
    insert_links(through, "conversation_id", "tag_id", sorted(links))


def _send_synced(created: dict[int, bool], source: str) -> None:
    by_id = Conversation.objects.in_bulk(list(created))
    for conversation_id, was_created in created.items():
        conversation_synced.send(
            sender=Conversation,
            conversation=by_id[conversation_id],
            created=was_created,
            source=source,
        )


# --- ratings (deletions and merges: tombstones.py) --------------------------------------


def upsert_rating(payload: dict, *, source: str = "webhook") -> UpsertResult:
    """Write a satisfaction rating, with placeholders for its conversation, customer, agent."""
    parsed = parse_rating(payload)
    result = UpsertResult()
    with _writing():
        if parsed.conversation_id:
            _ensure_placeholders(
                Conversation,
                {parsed.conversation_id: {"id": parsed.conversation_id, "is_placeholder": True}},
            )
        if parsed.customer and erased_customer_ids([parsed.customer.id]):
            return UpsertResult(unchanged=1, stale=1)  # Help Scout deleted it with them
        if parsed.customer:
            ref = parsed.customer
            if not isinstance(ref, PersonRef):
                emails = ref.fields["emails"]
                ref = PersonRef(
                    ref.id,
                    ref.fields["first_name"],
                    ref.fields["last_name"],
                    emails[0] if emails else "",
                )
            _ensure_placeholders(Customer, {ref.id: _person_placeholder(Customer, ref)})
        if parsed.agent:
            _ensure_placeholders(Agent, {parsed.agent.id: _person_placeholder(Agent, parsed.agent)})
        row = (
            SatisfactionRating.objects.filter(pk=parsed.id)
            .values_list("hs_updated_at", "is_placeholder", "data")
            .first()
        )
        verdict = _decide(parsed.hs_updated_at, parsed.fields["data"], row)
        if verdict in ("create", "update"):
            upsert_rows(
                SatisfactionRating,
                [{"id": parsed.id, **parsed.fields}],
                update=None,
            )
            if verdict == "create":
                result.created = 1
            else:
                result.updated = 1
        else:
            result.unchanged = 1
            result.stale = int(verdict == "stale")
    return result
