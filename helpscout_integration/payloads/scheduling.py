"""Snooze, `nextEvent` and "send later" as Help Scout reports them.

A conversation carries `snooze` only while snoozed (2024-05-31) and `nextEvent`, the next
snooze end or scheduled send (2024-06-13); a thread carries `scheduled` only while it is
scheduled. Help Scout does not document the sub-fields of `snooze` and `nextEvent`
(`snoozedUntil`, `unsnoozeOnCustomerReply`, `time` are read, and several spellings
tolerated); a time already past means the event happened since the mirror was refreshed,
so it is not reported.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ..exceptions import PayloadError
from ._fields import to_datetime


@dataclass(frozen=True)
class SnoozeInfo:
    until: datetime
    wake_on_customer_reply: bool


@dataclass(frozen=True)
class NextEvent:
    time: datetime
    kind: str  # "snooze", "scheduled" or "" when Help Scout does not say


@dataclass(frozen=True)
class ScheduledInfo:
    scheduled_for: datetime
    unschedule_on_customer_reply: bool


def _time(value: Any) -> datetime | None:
    try:
        return to_datetime(value, "time", ahead_ok=True)  # these times are ahead by design
    except PayloadError:
        return None


def snooze_of(data: Any, now: datetime) -> SnoozeInfo | None:
    snooze = data.get("snooze") if isinstance(data, dict) else None
    if not isinstance(snooze, dict):
        return None
    until = _time(snooze.get("snoozedUntil") or snooze.get("until"))
    if until is None or until <= now:
        return None
    return SnoozeInfo(until, snooze.get("unsnoozeOnCustomerReply") is True)


def next_event_of(data: Any, now: datetime) -> NextEvent | None:
    event = data.get("nextEvent") if isinstance(data, dict) else None
    if isinstance(event, str):
        event = {"time": event}
    if not isinstance(event, dict):
        return None
    when = _time(event.get("time") or event.get("at") or event.get("date"))
    if when is None or when <= now:
        return None
    kind = event.get("eventType") or event.get("type") or ""
    return NextEvent(when, kind if isinstance(kind, str) else "")


def scheduled_of(thread_data: Any, now: datetime) -> ScheduledInfo | None:
    scheduled = thread_data.get("scheduled") if isinstance(thread_data, dict) else None
    if not isinstance(scheduled, dict):
        return None
    when = _time(scheduled.get("scheduledFor"))
    if when is None or when <= now:
        return None
    return ScheduledInfo(when, scheduled.get("unscheduleOnCustomerReply") is True)
