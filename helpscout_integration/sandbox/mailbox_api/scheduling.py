"""Snooze (`PUT/DELETE /conversations/{id}/snooze`) and "send later" (`PUT/DELETE/PATCH
/conversations/{id}/threads/{threadId}/schedule`), with Help Scout's checks: a time in
ISO 8601, in the future and not after 2100, a required boolean; only a draft reply or
forward can be scheduled. Hooks for thread creation: `draft: true` and a customer's reply.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..clock import parse_iso
from ..scheduling import Schedule, Snooze, acting_user, after_customer_thread, book_for
from ..server import ApiError, Request, Response, validation_error
from .base import body_object, lookup, router

if TYPE_CHECKING:
    from ..host import SandboxHost

LATEST = parse_iso("2100-12-31T23:59:59Z")


def _future_time(sb: SandboxHost, value: Any, name: str, errors: list) -> float:
    if not isinstance(value, str) or not value.strip():
        errors.append((name, "may not be empty", value))
        return 0.0
    try:
        moment = parse_iso(value)
    except ValueError:
        errors.append((name, "must be an ISO 8601 date-time such as 2026-03-02T09:00:00Z", value))
        return 0.0
    if moment <= sb.store.clock.now():
        errors.append((name, "must be in the future", value))
    elif moment > LATEST:
        errors.append((name, "must not be after the year 2100", value))
    return moment


def _boolean(value: Any, name: str, errors: list) -> bool:
    if not isinstance(value, bool):
        errors.append((name, "must be true or false", value))
        return False
    return value


@router.route("PUT", r"/conversations/(?P<conversation_id>\d+)/snooze")
def put_snooze(sb: SandboxHost, request: Request, conversation_id: str) -> Response:
    conversation = lookup(sb.store.conversation, conversation_id)
    data = body_object(request)
    errors: list[tuple[str, str, Any]] = []
    until = _future_time(sb, data.get("snoozedUntil"), "snoozedUntil", errors)
    wake = _boolean(data.get("unsnoozeOnCustomerReply"), "unsnoozeOnCustomerReply", errors)
    if errors:
        raise validation_error(errors)
    with sb.store.lock:
        book_for(sb.store).snoozes[conversation.id] = Snooze(until, wake, acting_user(sb.store))
        sb.store.version += 1
    return Response.empty(204)


@router.route("DELETE", r"/conversations/(?P<conversation_id>\d+)/snooze")
def delete_snooze(sb: SandboxHost, request: Request, conversation_id: str) -> Response:
    conversation = lookup(sb.store.conversation, conversation_id)
    with sb.store.lock:
        book_for(sb.store).snoozes.pop(conversation.id, None)
        sb.store.version += 1
    return Response.empty(204)


def _thread(sb: SandboxHost, conversation_id: str, thread_id: str):
    conversation = lookup(sb.store.conversation, conversation_id)
    for thread in sb.store.threads_of(conversation):
        if thread.id == int(thread_id):
            return conversation, thread
    raise ApiError(404, "Thread not found")


SCHEDULE = r"/conversations/(?P<conversation_id>\d+)/threads/(?P<thread_id>\d+)/schedule"


@router.route("PUT", SCHEDULE)
def put_schedule(sb: SandboxHost, request: Request, conversation_id: str, thread_id: str):
    with sb.store.lock:
        conversation, thread = _thread(sb, conversation_id, thread_id)
        is_draft = thread.id in book_for(sb.store).drafts
    data = body_object(request)
    errors: list[tuple[str, str, Any]] = []
    if not is_draft or thread.type not in ("message", "forwardparent"):
        errors.append(("threadId", "Only a draft reply or forward can be scheduled", thread.id))
    when = _future_time(sb, data.get("scheduledFor"), "scheduledFor", errors)
    unschedule = _boolean(
        data.get("unscheduleOnCustomerReply"), "unscheduleOnCustomerReply", errors
    )
    as_creator = data.get("sendAsCreator", False)
    if not isinstance(as_creator, bool):
        errors.append(("sendAsCreator", "must be true or false", as_creator))
    if errors:
        raise validation_error(errors)
    with sb.store.lock:
        book_for(sb.store).schedules[thread.id] = Schedule(
            conversation.id, when, unschedule, bool(as_creator), acting_user(sb.store),
            sb.store.clock.now(),
        )  # fmt: skip
        sb.store.version += 1
    return Response.empty(204)


def _scheduled(sb: SandboxHost, conversation_id: str, thread_id: str):
    with sb.store.lock:
        _conversation, thread = _thread(sb, conversation_id, thread_id)
        if thread.id not in book_for(sb.store).schedules:
            raise ApiError(404, "Thread is not scheduled")
        return thread


@router.route("DELETE", SCHEDULE)
def delete_schedule(sb: SandboxHost, request: Request, conversation_id: str, thread_id: str):
    thread = _scheduled(sb, conversation_id, thread_id)
    with sb.store.lock:
        book_for(sb.store).schedules.pop(thread.id, None)  # stays a draft
        sb.store.version += 1
    return Response.empty(204)


@router.route("PATCH", SCHEDULE)
def publish_scheduled(sb: SandboxHost, request: Request, conversation_id: str, thread_id: str):
    thread = _scheduled(sb, conversation_id, thread_id)
    data = body_object(request)
    if (data.get("op"), data.get("path"), data.get("value")) != ("replace", "/state", "published"):
        raise validation_error(
            [("op", 'must be {"op": "replace", "path": "/state", "value": "published"}', None)]
        )
    with sb.store.lock:
        book = book_for(sb.store)
        book.schedules.pop(thread.id, None)
        book.drafts.discard(thread.id)
        sb.store.version += 1
    return Response.empty(204)


def after_thread_created(sb: SandboxHost, conversation_id: int, thread, data: dict) -> None:
    """Hook of thread creation: keep a `draft: true` reply as a draft; a customer's
    thread wakes snoozes and unschedules threads that asked for it."""
    with sb.store.lock:
        if data.get("draft") is True and thread.type == "message":
            book_for(sb.store).drafts.add(thread.id)
        if thread.type == "customer":
            after_customer_thread(sb.store, conversation_id)
