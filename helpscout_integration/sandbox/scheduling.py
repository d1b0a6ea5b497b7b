"""Snoozed conversations and "send later" (scheduled) threads of a sandbox account.

Kept beside the `Store` (see `extensions`). Time is the sandbox clock's: a snooze whose
time has passed is over and a schedule whose time has passed is sent, both read lazily.
The `snooze`, `nextEvent` and thread `scheduled` shapes follow Help Scout's changelog
and Get Conversation / List Threads pages; `snooze`'s and `nextEvent`'s sub-field names
are not confirmed by a Help Scout page (marked [U] in the reference).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .clock import iso
from .extensions import state_for

if TYPE_CHECKING:
    from .store import Store


@dataclass(slots=True)
class Snooze:
    until: float
    wake_on_customer_reply: bool
    by: int


@dataclass(slots=True)
class Schedule:
    conversation_id: int
    scheduled_for: float
    unschedule_on_customer_reply: bool
    send_as_creator: bool
    by: int
    created_at: float


@dataclass
class SchedulingBook:
    snoozes: dict[int, Snooze] = field(default_factory=dict)
    drafts: set[int] = field(default_factory=set)  # thread ids still drafts
    schedules: dict[int, Schedule] = field(default_factory=dict)  # by thread id


def book_for(store: Store) -> SchedulingBook:
    return state_for(store, "scheduling", SchedulingBook)


def acting_user(store: Store) -> int:
    """Who the sandbox's token acts as (Help Scout knows; the sandbox takes its first user)."""
    return min(store.users, default=0)


def active_snooze(store: Store, conversation_id: int) -> Snooze | None:
    book = book_for(store)
    snooze = book.snoozes.get(conversation_id)
    if snooze is not None and snooze.until <= store.clock.now():
        del book.snoozes[conversation_id]  # woke up on time
        return None
    return snooze


def active_schedule(store: Store, thread_id: int) -> Schedule | None:
    book = book_for(store)
    schedule = book.schedules.get(thread_id)
    if schedule is not None and schedule.scheduled_for <= store.clock.now():
        del book.schedules[thread_id]  # sent on time
        book.drafts.discard(thread_id)
        return None
    return schedule


def thread_state(store: Store, thread_id: int) -> str:
    active_schedule(store, thread_id)
    return "draft" if thread_id in book_for(store).drafts else "published"


def thread_scheduled(store: Store, thread_id: int) -> dict[str, Any] | None:
    schedule = active_schedule(store, thread_id)
    if schedule is None:
        return None
    return {
        "scheduledBy": schedule.by,
        "createdAt": iso(schedule.created_at),
        "scheduledFor": iso(schedule.scheduled_for),
        "unscheduleOnCustomerReply": schedule.unschedule_on_customer_reply,
    }


def decorate_conversation(result: dict[str, Any], store: Store, conversation_id: int) -> None:
    """Add `snooze` (only while snoozed) and `nextEvent` (only when one is due)."""
    snooze = active_snooze(store, conversation_id)
    events: list[tuple[float, str]] = []
    if snooze is not None:
        result["snooze"] = {
            "snoozedBy": snooze.by,
            "snoozedUntil": iso(snooze.until),
            "unsnoozeOnCustomerReply": snooze.wake_on_customer_reply,
        }
        events.append((snooze.until, "snooze"))
    for thread_id, schedule in list(book_for(store).schedules.items()):
        if schedule.conversation_id == conversation_id and active_schedule(store, thread_id):
            events.append((schedule.scheduled_for, "scheduled"))
    if events:
        when, kind = min(events)
        result["nextEvent"] = {"time": iso(when), "eventType": kind}


def after_customer_thread(store: Store, conversation_id: int) -> None:
    """A customer wrote: wake a snooze that asked for it, unschedule threads that did."""
    book = book_for(store)
    snooze = book.snoozes.get(conversation_id)
    if snooze is not None and snooze.wake_on_customer_reply:
        del book.snoozes[conversation_id]
    for thread_id, schedule in list(book.schedules.items()):
        if schedule.conversation_id == conversation_id and schedule.unschedule_on_customer_reply:
            del book.schedules[thread_id]  # back to a plain draft
