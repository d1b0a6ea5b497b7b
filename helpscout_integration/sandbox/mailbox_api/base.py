"""Shared plumbing of the Mailbox API routes: the router, HAL paging, parameter parsing,
the `query` subset, and the 201/404/400 conventions. Holds no state."""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from ..clock import parse_iso, whole_seconds
from ..server import ApiError, Request, Response, Router, validation_error
from ..store import Invalid, NotFound

if TYPE_CHECKING:
    from ..host import SandboxHost

router = Router()
PAGE_SIZE = 50
CONVERSATION_PAGE_SIZE = 25
THREAD_TYPES_BY_ENDPOINT = {
    "reply": "message",
    "notes": "note",
    "customer": "customer",
    "phones": "phone",
    "chats": "chat",
}
CREATE_THREAD_TYPES = {
    "customer": "customer",
    "reply": "message",
    "note": "note",
    "phone": "phone",
    "chat": "chat",
}
CONVERSATION_SORT_FIELDS = (
    "createdAt",
    "customerEmail",
    "customerName",
    "mailboxid",
    "modifiedAt",
    "number",
    "score",
    "status",
    "subject",
    "waitingSince",
)
SINCE_RE = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


# -- helpers ---------------------------------------------------------------------------------------


def created(location: str, resource_id: int) -> Response:
    return Response.empty(201, {"Location": location, "Resource-ID": str(resource_id)})


def page_number(request: Request) -> int:
    raw = request.param("page", "1")
    try:
        number = int(raw or "")  # a missing page is as invalid as an empty one
    except (TypeError, ValueError):
        raise validation_error([("page", "must be a whole number", raw)]) from None
    if number < 1:
        raise validation_error([("page", "must be 1 or more", raw)])
    return number


def paged(
    sandbox: SandboxHost,
    request: Request,
    key: str,
    items: list,
    render,
    size: int = PAGE_SIZE,
) -> Response:
    """A HAL list page: `_embedded.<key>` (absent when empty), `_links` and `page`, as
    Help Scout sends them."""
    number = page_number(request)
    total = len(items)
    pages = math.ceil(total / size)
    chunk = items[(number - 1) * size : number * size]
    base = sandbox.url + request.path
    params = {k: v[0] for k, v in request.query.items() if k != "page"}

    def href(page: int) -> dict[str, str]:
        return {"href": f"{base}?{urlencode({**params, 'page': page})}"}

    links: dict[str, Any] = {
        "self": href(number),
        "first": href(1),
        "last": href(max(pages, 1)),
        "page": {
            "href": f"{base}?{urlencode(params) + '&' if params else ''}page={{page}}",
            "templated": True,
        },
    }
    if number < pages:
        links["next"] = href(number + 1)
    if 1 < number <= pages + 1:
        links["previous"] = href(number - 1)
    body: dict[str, Any] = {}
    if chunk:
        # Help Scout leaves `_embedded` out altogether on an empty page (its PHP SDK's
        # tests say so): clients that expect `_embedded.<key>` must cope.
        body["_embedded"] = {key: [render(item) for item in chunk]}
    body["_links"] = links
    body["page"] = {"size": size, "totalElements": total, "totalPages": pages, "number": number}
    return Response.json(body)


def int_param(request: Request, name: str) -> int | None:
    raw = request.param(name)
    if raw in (None, ""):
        return None
    try:
        return int(raw)
    except ValueError:
        raise validation_error([(name, "must be a whole number", raw)]) from None


def int_list_param(request: Request, name: str) -> set[int] | None:
    raw = request.param(name)
    if raw in (None, ""):
        return None
    try:
        return {int(part) for part in raw.split(",") if part.strip()}
    except ValueError:
        raise validation_error([(name, "must be whole numbers separated by commas", raw)]) from None


def since_param(request: Request) -> int | None:
    raw = request.param("modifiedSince")
    if raw in (None, ""):
        return None
    try:
        # Help Scout takes exactly YYYY-MM-DDThh:mm:ssZ: milliseconds, an offset or a
        # missing Z are refused (400), not read leniently.
        if not SINCE_RE.fullmatch(raw):
            raise ValueError(raw)
        return whole_seconds(parse_iso(raw))
    except ValueError:
        raise validation_error(
            [("modifiedSince", "must be an ISO 8601 date-time such as 2024-01-31T12:00:00Z", raw)]
        ) from None


def embed_param(request: Request, allowed: tuple[str, ...] = ("threads",)) -> set[str]:
    """`embed`: a comma list of what may be embedded; anything else is a 400."""
    raw = request.param("embed")
    wanted = {part.strip() for part in (raw or "").split(",") if part.strip()}
    if wanted - set(allowed):
        raise validation_error([("embed", f"must be one of {', '.join(allowed)}", raw)])
    return wanted


def sort_params(request: Request, allowed: tuple[str, ...], default: str) -> tuple[str, bool]:
    field = request.param("sortField") or default
    if field not in allowed:
        raise validation_error([("sortField", f"must be one of {', '.join(allowed)}", field)])
    order = (request.param("sortOrder") or "desc").lower()
    if order not in ("asc", "desc"):
        raise validation_error([("sortOrder", "must be asc or desc", order)])
    return field, order == "desc"


def body_object(request: Request) -> dict[str, Any]:
    data = request.json()
    if not isinstance(data, dict):
        raise ApiError(400, "Request body must be a JSON object")
    return data


def lookup(getter, object_id) -> Any:
    try:
        return getter(int(object_id))
    except (NotFound, ValueError):
        raise ApiError(404, "Resource not found") from None


def run(change):
    """Run a store change, turning its errors into API errors."""
    try:
        return change()
    except Invalid as error:
        raise validation_error(error.errors) from None
    except NotFound as error:
        raise ApiError(404, str(error)) from None


# -- query syntax ------------------------------------------------------------------------------
