"""Workflows: `GET /workflows` (HAL, paged), `PATCH /workflows/{id}` (status) and
`POST /workflows/{id}/run` (manual workflows only, 1 to 50 conversations, each existing
and in the workflow's mailbox; 204). Shapes follow the PHP SDK's WorkflowPayloads fixture.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..clock import iso
from ..server import ApiError, Request, Response, validation_error
from ..store import NotFound
from ..toolkit_records import Workflow, records_for
from .base import body_object, int_param, paged, router

if TYPE_CHECKING:
    from ..host import SandboxHost

MAX_RUN = 50


def shaped(item: Workflow) -> dict[str, Any]:
    return {
        "id": item.id,
        "mailboxId": item.mailbox_id,
        "type": item.type,
        "status": item.status,
        "order": item.order,
        "name": item.name,
        "createdAt": iso(item.created_at),
        "modifiedAt": iso(item.modified_at),
    }


@router.route("GET", r"/workflows")
def list_workflows(sb: SandboxHost, request: Request) -> Response:
    mailbox = int_param(request, "mailboxId")
    kind = request.param("type")
    with sb.store.lock:
        items = sorted(
            (w for w in records_for(sb.store).workflows.values()
             if (mailbox is None or w.mailbox_id == mailbox) and (not kind or w.type == kind)),
            key=lambda w: (w.mailbox_id, w.order, w.id),
        )  # fmt: skip
    return paged(sb, request, "workflows", items, shaped)


def _workflow(sb: SandboxHost, workflow_id: str) -> Workflow:
    item = records_for(sb.store).workflows.get(int(workflow_id))
    if item is None:
        raise ApiError(404, "Workflow not found")
    return item


@router.route("PATCH", r"/workflows/(?P<workflow_id>\d+)")
def patch_workflow(sb: SandboxHost, request: Request, workflow_id: str) -> Response:
    data = body_object(request)
    if (data.get("op"), data.get("path")) != ("replace", "/status") or data.get("value") not in (
        "active",
        "inactive",
    ):
        raise validation_error(
            [("value", 'must be {"op": "replace", "path": "/status", "value": '
              '"active" | "inactive"}', data.get("value"))]
        )  # fmt: skip
    with sb.store.lock:
        item = _workflow(sb, workflow_id)
        item.status = data["value"]
        item.modified_at = sb.store.clock.now()
    return Response.empty(204)


@router.route("POST", r"/workflows/(?P<workflow_id>\d+)/run")
def run_workflow(sb: SandboxHost, request: Request, workflow_id: str) -> Response:
    data = body_object(request)
    with sb.store.lock:
        item = _workflow(sb, workflow_id)
    ids: Any = data.get("conversationIds")
    errors: list[tuple[str, str, Any]] = []
    if item.type != "manual":
        errors.append(("workflowId", "Only manual workflows can be run", item.id))
    elif item.status != "active":
        errors.append(("workflowId", "The workflow is not active", item.id))
    if not isinstance(ids, list) or not ids or not all(type(i) is int for i in ids):
        errors.append(("conversationIds", "must be a non-empty list of conversation ids", ids))
    elif len(ids) > MAX_RUN:
        errors.append(("conversationIds", f"may hold at most {MAX_RUN} ids", len(ids)))
    else:
        with sb.store.lock:
            for n, conversation_id in enumerate(ids):
                try:
                    conversation = sb.store.conversation(conversation_id)
                except NotFound:
                    errors.append(
                        (f"conversationIds[{n}]", "Conversation not found", conversation_id)
                    )
                    continue
                if conversation.mailbox_id != item.mailbox_id:
                    errors.append((f"conversationIds[{n}]", "Conversation is not in the "
                                   "workflow's mailbox", conversation_id))  # fmt: skip
    if errors:
        raise validation_error(errors)
    for conversation_id in ids:
        _apply(sb, item, conversation_id)
    return Response.empty(204)


def _apply(sb: SandboxHost, item: Workflow, conversation_id: int) -> None:
    """What running the workflow does in the sandbox (its stand-in actions)."""
    with sb.store.lock:
        conversation = sb.store.conversation(conversation_id)
        changes: dict[str, Any] = {}
        for kind, value in item.actions:
            if kind == "status":
                changes["status"] = value
            elif kind == "tag":
                names = [sb.store.tags[t].name for t in conversation.tag_ids if t in sb.store.tags]
                changes["tags"] = [*changes.get("tags", names), value]
        if changes:
            sb.store.update_conversation(conversation_id, **changes)
