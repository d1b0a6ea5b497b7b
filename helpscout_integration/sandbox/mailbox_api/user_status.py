"""User status (2026): `GET /users/status` (HAL, `userStatuses`, 50 a page),
`GET /users/{id}/status`, `PUT /users/{id}/status` (`active` | `away`, 204; `available`,
the value before 2026-01-19, is refused) and the `user.status.changed` webhook.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..clock import iso
from ..server import Request, Response, validation_error
from ..toolkit_records import UserStatus, records_for
from .base import body_object, lookup, paged, router

if TYPE_CHECKING:
    from ..host import SandboxHost

EMAIL_STATUSES = ("active", "away")


class StatusEvent:
    """What `user.status.changed` delivers: the Get User Status object (Help Scout does
    not document the body; this is the likeliest shape)."""

    mailbox_id = None

    def __init__(self, body: dict[str, Any]) -> None:
        self.body = body
        self.id = body["userId"]
        self.resource_path = f"/users/{self.id}/status"

    def webhook_payload(self) -> dict[str, Any]:
        return self.body


def shaped(item: UserStatus) -> dict[str, Any]:
    return {
        "userId": item.user_id,
        "email": {
            "status": item.email_status,
            "updatedAt": iso(item.email_updated_at) if item.email_updated_at else None,
            "performedBy": item.performed_by or item.user_id,
            "source": item.source,
        },
        "chat": {
            "status": item.chat_status,
            "mailboxStatuses": dict(item.chat_mailbox_statuses)
            if item.chat_status == "custom"
            else {},
        },
    }


@router.route("GET", r"/users/status")
def list_statuses(sb: SandboxHost, request: Request) -> Response:
    with sb.store.lock:
        records = records_for(sb.store)
        items = [records.status_of(user_id) for user_id in sorted(sb.store.users)]
    return paged(sb, request, "userStatuses", items, shaped)


@router.route("GET", r"/users/(?P<user_id>\d+)/status")
def get_status(sb: SandboxHost, request: Request, user_id: str) -> Response:
    with sb.store.lock:
        user = lookup(sb.store.user, user_id)
        return Response.json(shaped(records_for(sb.store).status_of(user.id)))


@router.route("PUT", r"/users/(?P<user_id>\d+)/status")
def set_status(sb: SandboxHost, request: Request, user_id: str) -> Response:
    user = lookup(sb.store.user, user_id)
    data = body_object(request)
    status = data.get("status")
    errors: list[tuple[str, str, Any]] = []
    if status not in EMAIL_STATUSES:
        errors.append(("status", "must be active or away", status))
    custom = data.get("customStatus")
    if custom is not None and (not isinstance(custom, dict) or not custom.get("text")):
        errors.append(("customStatus.text", "may not be empty", None))
    if errors:
        raise validation_error(errors)
    with sb.store.lock:
        item = records_for(sb.store).status_of(user.id)
        item.email_status = str(status)
        item.email_updated_at = sb.store.clock.now()
        item.source = "api"
        item.performed_by = min(sb.store.users, default=user.id)
        sb.store._emit("user.status.changed", "user_status", StatusEvent(shaped(item)))
    return Response.empty(204)
