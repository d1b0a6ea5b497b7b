"""Control endpoints under `/sandbox/`: health, faults, the webhook log, customer ratings.

For tests and demos on the same machine; they need no token, are never faulted or rate
limited, and never show a secret or a delivery body.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .server import ApiError, Request, Response
from .store import Invalid, NotFound

if TYPE_CHECKING:
    from .host import SandboxHost


def handle(sb: SandboxHost, request: Request) -> Response:
    """Answer a `/sandbox/...` request (no token needed, never faulted or rate limited)."""
    path = request.path.rstrip("/")
    if path == "/sandbox/health" and request.method == "GET":
        with sb.store.lock:
            counts = {
                "mailboxes": len(sb.store.mailboxes),
                "users": len(sb.store.users),
                "tags": len(sb.store.tags),
                "customers": len(sb.store.customers),
                "conversations": len(sb.store.conversations),
                "webhooks": len(sb.store.webhooks),
                "docsArticles": len(sb.store.docs_articles),
            }
        return Response.json({"status": "ok", "seed": sb.seed, "counts": counts})
    if path == "/sandbox/faults":
        if request.method == "GET":
            return Response.json({"faults": sb.faults.pending()})
        if request.method == "DELETE":
            sb.faults.clear()
            return Response.empty(204)
        if request.method == "POST":
            try:
                sb.faults.apply_command(request.json())
            except ValueError as error:
                raise ApiError(400, str(error)) from None
            return Response.empty(204)
    if path == "/sandbox/webhook-deliveries" and request.method == "GET":
        return Response.json(
            {
                "deliveries": [
                    {
                        "id": d.id,
                        "event": d.event,
                        "url": d.url,
                        "attempts": d.attempts,
                        "delivered": d.delivered,
                        "gaveUp": d.gave_up,
                        "duplicate": d.duplicate,
                        "heldFor": d.held_for,
                    }
                    for d in list(sb.webhook_deliveries)
                ]
            }
        )
    if path == "/sandbox/ratings" and request.method == "POST":
        return _rate(sb, request.json())
    raise ApiError(404, "Unknown sandbox control endpoint")


def _rate(sb: SandboxHost, body: object) -> Response:
    """What a customer's click on a rating link does in Help Scout: rate the latest reply.

    Body `{"conversationId": 1, "rating": "great"|"okay"|"not_good", "comments": ""}`;
    answers 201 with the v2 rating and delivers `satisfaction.ratings` to the webhooks.
    Help Scout's API has no way to create a rating, so this is a control endpoint.
    """
    if not isinstance(body, dict):
        raise ApiError(400, "Send a JSON object with conversationId and rating")
    conversation_id = body.get("conversationId")
    if isinstance(conversation_id, bool) or not isinstance(conversation_id, int):
        raise ApiError(400, "conversationId must be a conversation id (a whole number)")
    comments = body.get("comments") or ""
    if not isinstance(comments, str):
        raise ApiError(400, "comments must be text")
    try:
        rating = sb.rate_conversation(conversation_id, str(body.get("rating", "")), comments)
    except NotFound as error:
        raise ApiError(404, str(error)) from None
    except Invalid as error:
        raise ApiError(400, str(error)) from None
    return Response.json(rating, status=201)
