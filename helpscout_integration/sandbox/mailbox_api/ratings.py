"""Ratings: GET /ratings/{id}, the satisfaction rating a customer gave a reply.

Read-only, as in Help Scout: ratings are made by customers (`Sandbox.rate_conversation`
or the control route), never through the Mailbox API.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .. import shapes
from ..server import Request, Response
from .base import lookup, router

if TYPE_CHECKING:
    from ..host import SandboxHost


@router.route("GET", r"/ratings/(?P<rating_id>\d+)")
def get_rating(sb: SandboxHost, request: Request, rating_id: str) -> Response:
    store = sb.store
    with store.lock:
        item = lookup(store.rating, rating_id)
        return Response.json(shapes.rating(item, store, sb.api_base_url))
