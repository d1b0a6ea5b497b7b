"""Help Scout conversation JSON -> Conversation field values, embedded threads, and the
references (mailbox, customer, assignee, tags, survivor of a merge) a writer must resolve.

Pure: no ORM, no HTTP. The same function reads a conversation from a list page, from
`GET /conversations/{id}?embed=threads`, from a webhook body and from the sandbox.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ..exceptions import PayloadError
from ..jsontypes import JSONObject
from ._fields import (
    embedded,
    items,
    obj,
    objects,
    optional_id,
    require_object,
    text,
    to_datetime,
    to_id,
)
from .refs import PersonRef, TagRef
from .thread import ParsedThread, parse_thread, person_ref

# Keys whose value is a modification time of the whole conversation.
MODIFICATION_TIME_KEYS = ("userUpdatedAt", "updatedAt", "modifiedAt")
# Other times a conversation payload carries; each is also a lower bound of its version.
EVENT_TIME_KEYS = ("closedAt", "createdAt")


@dataclass(slots=True)
class ParsedConversation:
    id: int
    hs_updated_at: datetime | None
    mailbox_id: int | None
    customer: PersonRef | None
    assignee: PersonRef | None  # an agent; never a team
    tags: list[TagRef] | None  # None: the payload did not say (leave tags alone)
    threads: list[ParsedThread] | None  # None: the payload carried no threads
    merged_into_id: int | None
    is_deleted: bool
    fields: dict[str, Any]  # Conversation model fields (FK ids included), `data` included
    complete: bool = False  # the embedded threads are all the conversation's threads
    assignee_team: PersonRef | None = None  # set instead of `assignee` for a team


def modification_time(
    data: Mapping[str, Any], threads: list[ParsedThread] | None = None
) -> datetime | None:
    """The version of a conversation payload: the latest time it carries.

    `userUpdatedAt` is the last change by a *user* only: a customer reply moves
    `customerWaitingSince.time` and adds a thread, not `userUpdatedAt`. So the version is
    the latest of `userUpdatedAt` (and `updatedAt` / `modifiedAt` where a source fills
    them), `customerWaitingSince.time`, `closedAt`, `createdAt` and the newest embedded
    thread's `createdAt`. A payload cannot be older than anything it shows, so ordering by
    this never lets an older customer-reply delivery win over a newer one. `threads` are
    the payload's already parsed threads (parsed here when not given).
    """
    times = [to_datetime(data.get(key), f"conversation.{key}") for key in MODIFICATION_TIME_KEYS]
    times.append(
        to_datetime(
            obj(data.get("customerWaitingSince"), "conversation.customerWaitingSince").get("time"),
            "conversation.customerWaitingSince.time",
        )
    )
    times.extend(to_datetime(data.get(key), f"conversation.{key}") for key in EVENT_TIME_KEYS)
    if threads is None:
        embedded_threads = embedded(data, "threads", "conversation")
        if isinstance(embedded_threads, list):
            times.extend(
                to_datetime(
                    obj(thread, f"conversation._embedded.threads[{index}]").get("createdAt"),
                    f"conversation._embedded.threads[{index}].createdAt",
                )
                for index, thread in enumerate(embedded_threads)
            )
    else:
        times.extend(thread.fields.get("created_at") for thread in threads)
    found = [t for t in times if t is not None]
    return max(found) if found else None


def is_complete(data: Mapping[str, Any], threads: list[ParsedThread] | None) -> bool:
    """True when the payload provably embeds every thread the conversation has.

    Its `threads` count must be known and no larger than the embedded threads other than
    line items. Whether Help Scout's count includes line items is not documented for v2
    (v1's `threadCount` excluded them), and counting only the others is right either way:
    a payload that lacks a thread is never called complete. Only a complete, newer
    payload may remove threads the mirror holds (see sync.upsert).
    """
    if threads is None:
        return False
    count = data.get("threads", data.get("threadCount"))
    if not isinstance(count, int) or isinstance(count, bool):
        return False
    return sum(1 for t in threads if t.fields.get("type") != "lineitem") >= count


def _tags(value: Any) -> list[TagRef] | None:
    if value is None:
        return None
    tags = []
    for index, entry in enumerate(items(value, "conversation.tags")):
        where = f"conversation.tags[{index}]"
        if isinstance(entry, dict):
            name = text(entry.get("tag") or entry.get("name") or entry.get("slug"), f"{where}.tag")
            tag_id = optional_id(entry.get("id"), f"{where}.id")
            if tag_id is None and not name:
                continue
            tags.append(
                TagRef(id=tag_id, name=name, color=text(entry.get("color"), f"{where}.color"))
            )
        elif text(entry, where).strip():
            tags.append(TagRef(id=None, name=entry.strip()))
    return tags


def _merged_into(data: Mapping[str, Any]) -> int | None:
    for key in ("mergedInto", "mergedIntoId", "mergedIntoConversationId"):
        if data.get(key) not in (None, "", 0):
            return optional_id(data.get(key), f"conversation.{key}")
    links = obj(data.get("_links"), "conversation._links")
    link = obj(links.get("mergedInto"), "conversation._links.mergedInto").get("href")
    if link:
        last = text(link, "conversation._links.mergedInto.href").rstrip("/").rsplit("/", 1)[-1]
        return int(last) if last.isdigit() else None
    return None


def _threads(data: Mapping[str, Any], conversation_id: int) -> list[ParsedThread] | None:
    found = embedded(data, "threads", "conversation")
    if found is None and isinstance(data.get("threads"), list):
        found = data["threads"]  # older webhook shape: threads inline
    if found is None:
        return None
    return [parse_thread(thread, conversation_id) for thread in found]


def _stored_json(data: JSONObject) -> JSONObject:
    """The raw JSON kept in `data`, minus embedded threads (each Thread keeps its own)."""
    emb = data.get("_embedded")
    if isinstance(emb, dict) and "threads" in emb:
        data = dict(data)
        data["_embedded"] = {k: v for k, v in emb.items() if k != "threads"}
    return data


def parse_conversation(payload: Any) -> ParsedConversation:
    """Parse a v2 Conversation object; raises `PayloadError` when it is not one."""
    data = require_object(payload, "conversation")
    if not any(key in data for key in ("number", "mailboxId", "mailbox", "subject", "status")):
        raise PayloadError(
            "Not a Help Scout conversation: none of 'number', 'mailboxId', 'subject', "
            "'status' present (a bare {'id': ...} is a deletion notice, not a conversation)."
        )
    conversation_id = to_id(data["id"], "conversation.id")
    mailbox_id = optional_id(
        data.get("mailboxId") or data.get("mailboxid") or data.get("mailbox"),
        "conversation.mailboxId",
    )
    customer = person_ref(
        data.get("primaryCustomer") or data.get("customer"), "conversation.primaryCustomer"
    )
    assignee = person_ref(data.get("assignee") or data.get("owner"), "conversation.assignee")
    assignee_team = None
    if assignee is not None and assignee.is_team:
        assignee, assignee_team = None, assignee
    threads = _threads(data, conversation_id)
    hs_updated_at = modification_time(data, threads)
    state = text(data.get("state"), "conversation.state")
    is_deleted = state == "deleted"
    source = obj(data.get("source"), "conversation.source")
    thread_count = data.get("threads", data.get("threadCount"))
    if not isinstance(thread_count, int) or isinstance(thread_count, bool):
        thread_count = len(threads) if threads is not None else 0
    user_updated_at = to_datetime(data.get("userUpdatedAt"), "conversation.userUpdatedAt")
    fields = {
        "number": optional_id(data.get("number"), "conversation.number"),
        "mailbox_id": mailbox_id,
        "folder_id": optional_id(data.get("folderId"), "conversation.folderId"),
        "subject": text(data.get("subject"), "conversation.subject"),
        "status": text(data.get("status"), "conversation.status"),
        "state": state,
        "type": text(data.get("type"), "conversation.type"),
        "customer_id": customer.id if customer else None,
        "assignee_id": assignee.id if assignee else None,
        "assignee_team_id": assignee_team.id if assignee_team else None,
        "preview": text(data.get("preview"), "conversation.preview"),
        "thread_count": max(thread_count, 0),
        "source_type": text(source.get("type"), "conversation.source.type"),
        "source_via": text(source.get("via"), "conversation.source.via"),
        "custom_fields": objects(data.get("customFields"), "conversation.customFields"),
        "created_at": to_datetime(data.get("createdAt"), "conversation.createdAt"),
        "updated_at": user_updated_at or hs_updated_at,
        "closed_at": to_datetime(data.get("closedAt"), "conversation.closedAt"),
        "customer_waiting_since": to_datetime(
            obj(data.get("customerWaitingSince"), "conversation.customerWaitingSince").get("time"),
            "conversation.customerWaitingSince.time",
        ),
        "is_deleted": is_deleted,
        "deleted_at": hs_updated_at if is_deleted else None,
        "data": _stored_json(data),
        "hs_updated_at": hs_updated_at,
        "is_placeholder": False,
    }
    return ParsedConversation(
        id=conversation_id,
        hs_updated_at=hs_updated_at,
        mailbox_id=mailbox_id,
        customer=customer,
        assignee=assignee,
        tags=_tags(data.get("tags")),
        threads=threads,
        merged_into_id=_merged_into(data),
        is_deleted=is_deleted,
        fields=fields,
        complete=is_complete(data, threads),
        assignee_team=assignee_team,
    )
