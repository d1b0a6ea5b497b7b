"""Mailbox API 2.0 routes: HAL lists with Help Scout's paging, creates (201, empty body,
`Location` + `Resource-ID`), updates (204) and validation errors (400 VndError).

Handlers turn HTTP into `Store` calls and `shapes` output; they hold no state of their own
except a cache of filtered, sorted conversation ids keyed by the store's version.
"""

from __future__ import annotations

import math
import re
import threading
from collections import OrderedDict
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from . import shapes
from .clock import parse_iso, whole_seconds
from .server import ApiError, Request, Response, Router, validation_error
from .store import STATUSES, Invalid, NotFound

if TYPE_CHECKING:
    from .sandbox import Sandbox

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
    "mailboxid",
    "modifiedAt",
    "number",
    "score",
    "status",
    "subject",
)
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


# -- helpers ---------------------------------------------------------------------------------------


def created(location: str, resource_id: int) -> Response:
    return Response.empty(201, {"Location": location, "Resource-ID": str(resource_id)})


def page_number(request: Request) -> int:
    raw = request.param("page", "1")
    try:
        number = int(raw)
    except (TypeError, ValueError):
        raise validation_error([("page", "must be a whole number", raw)]) from None
    if number < 1:
        raise validation_error([("page", "must be 1 or more", raw)])
    return number


def paged(
    sandbox: Sandbox,
    request: Request,
    key: str,
    items: list,
    render,
    size: int = PAGE_SIZE,
) -> Response:
    """A HAL list page: `_embedded.<key>`, `_links` and `page` as Help Scout sends them."""
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
    return Response.json(
        {
            "_embedded": {key: [render(item) for item in chunk]},
            "_links": links,
            "page": {"size": size, "totalElements": total, "totalPages": pages, "number": number},
        }
    )


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
        return whole_seconds(parse_iso(raw))
    except ValueError:
        raise validation_error(
            [("modifiedSince", "must be an ISO 8601 date-time such as 2024-01-31T12:00:00Z", raw)]
        ) from None


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

_TERM = re.compile(r'\s*(\w+)\s*:\s*(?:"((?:[^"\\]|\\.)*)"|([^\s()]+))\s*')


def parse_query(text: str) -> list[tuple[str, str]]:
    """`(email:"a@b.c" AND status:active)` -> [("email", "a@b.c"), ("status", "active")].

    A subset of Help Scout's search syntax: field:value terms joined by AND; anything else
    is a 400 so a caller never silently gets unfiltered results.
    """
    inner = text.strip()
    while inner.startswith("(") and inner.endswith(")"):
        inner = inner[1:-1].strip()
    terms = []
    for part in re.split(r"\s+AND\s+", inner):
        part = part.strip().strip("()")
        match = _TERM.fullmatch(part)
        if match is None:
            raise validation_error(
                [("query", 'unsupported search; use field:"value" terms joined by AND', text)]
            )
        value = match.group(2) if match.group(2) is not None else match.group(3)
        terms.append((match.group(1), value.replace('\\"', '"')))
    return terms


# -- mailboxes, users, tags --------------------------------------------------------------------


@router.route("GET", r"/mailboxes")
def list_mailboxes(sb: Sandbox, request: Request) -> Response:
    items = sorted(sb.store.mailboxes.values(), key=lambda m: m.id)
    return paged(sb, request, "mailboxes", items, lambda m: shapes.mailbox(m, sb.api_base_url))


@router.route("GET", r"/mailboxes/(?P<mailbox_id>\d+)")
def get_mailbox(sb: Sandbox, request: Request, mailbox_id: str) -> Response:
    return Response.json(shapes.mailbox(lookup(sb.store.mailbox, mailbox_id), sb.api_base_url))


@router.route("GET", r"/mailboxes/(?P<mailbox_id>\d+)/folders")
def list_folders(sb: Sandbox, request: Request, mailbox_id: str) -> Response:
    mailbox = lookup(sb.store.mailbox, mailbox_id)
    with sb.store.lock:
        items = list(sb.store.folders.get(mailbox.id, []))
        return paged(sb, request, "folders", items, lambda f: shapes.folder(f, sb.store))


@router.route("GET", r"/mailboxes/(?P<mailbox_id>\d+)/fields")
def list_fields(sb: Sandbox, request: Request, mailbox_id: str) -> Response:
    mailbox = lookup(sb.store.mailbox, mailbox_id)
    items = list(sb.store.custom_fields.get(mailbox.id, []))
    return paged(sb, request, "fields", items, lambda f: shapes.custom_field(f, sb.store))


@router.route("GET", r"/users")
def list_users(sb: Sandbox, request: Request) -> Response:
    items = sorted(sb.store.users.values(), key=lambda u: u.id)
    email = request.param("email")
    if email:
        items = [u for u in items if u.email.lower() == email.lower()]
    return paged(sb, request, "users", items, lambda u: shapes.user(u, sb.api_base_url))


@router.route("GET", r"/users/me")
def get_me(sb: Sandbox, request: Request) -> Response:
    # Client-credentials tokens act as the account owner (the first user).
    if not sb.store.users:
        raise ApiError(404, "Resource not found")
    owner = sb.store.users[min(sb.store.users)]
    return Response.json(shapes.user(owner, sb.api_base_url))


@router.route("GET", r"/users/(?P<user_id>\d+)")
def get_user(sb: Sandbox, request: Request, user_id: str) -> Response:
    return Response.json(shapes.user(lookup(sb.store.user, user_id), sb.api_base_url))


@router.route("GET", r"/tags")
def list_tags(sb: Sandbox, request: Request) -> Response:
    with sb.store.lock:
        items = sorted(sb.store.tags.values(), key=lambda t: t.id)
        counts: dict[int, int] = {}
        for conversation in sb.store.conversations.values():
            for tag_id in conversation.tag_ids:
                counts[tag_id] = counts.get(tag_id, 0) + 1

        def render(tag):
            shaped = shapes.tag(tag, sb.api_base_url)
            shaped["ticketCount"] = counts.get(tag.id, 0)
            return shaped

        return paged(sb, request, "tags", items, render)


@router.route("GET", r"/tags/(?P<tag_id>\d+)")
def get_tag(sb: Sandbox, request: Request, tag_id: str) -> Response:
    with sb.store.lock:
        tag = lookup(sb.store.tag, tag_id)
        return Response.json(shapes.tag(tag, sb.api_base_url, sb.store))


# -- conversations -----------------------------------------------------------------------------


class ConversationIndex:
    """Filtered, sorted conversation ids per query, reused until the store changes.

    Paging through 100,000 conversations must not filter and sort them again per page.
    """

    def __init__(self, size: int = 32) -> None:
        self._cache: OrderedDict[tuple, tuple[int, list[int]]] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def get(self, key: tuple, version: int, build) -> list[int]:
        with self._lock:
            hit = self._cache.get(key)
            if hit is not None and hit[0] == version:
                self._cache.move_to_end(key)
                return hit[1]
        ids = build()
        with self._lock:
            self._cache[key] = (version, ids)
            self._cache.move_to_end(key)
            while len(self._cache) > self._size:
                self._cache.popitem(last=False)
        return ids


def _status_filter(raw: str | None) -> set[str]:
    if not raw:
        return {"active"}
    wanted: set[str] = set()
    for part in raw.split(","):
        part = part.strip().lower()
        if part == "all":
            wanted.update(STATUSES)
        elif part == "open":
            wanted.update(("active", "pending"))
        elif part in STATUSES:
            wanted.add(part)
        else:
            raise validation_error(
                [("status", "must be active, pending, closed, spam, open or all", raw)]
            )
    return wanted


def _conversation_predicates(sb: Sandbox, request: Request) -> list:
    store = sb.store
    checks = []
    statuses = _status_filter(request.param("status"))
    mailboxes = int_list_param(request, "mailbox")
    folder = int_param(request, "folder")
    assigned_to = int_param(request, "assigned_to")
    number = int_param(request, "number")
    since = since_param(request)
    tag_names = request.param("tag")
    query = request.param("query")
    customer_id = int_param(request, "customerId")
    if query:
        for name, value in parse_query(query):
            lowered = value.lower()
            if name == "email":
                customer = store.customer_by_email(value)
                wanted = customer.id if customer else -1
                checks.append(lambda c, w=wanted: c.customer_id == w)
            elif name == "status":
                statuses = _status_filter(value)
            elif name == "subject":
                checks.append(lambda c, v=lowered: v in c.subject.lower())
            elif name == "tag":
                tag = store.tags_by_name.get(lowered)
                checks.append(lambda c, t=(tag.id if tag else -1): t in c.tag_ids)
            elif name in ("customerIds", "customerId"):
                checks.append(lambda c, v=value: str(c.customer_id) == v)
            elif name == "number":
                checks.append(lambda c, v=value: str(c.number) == v)
            elif name in ("mailboxid", "mailboxId"):
                checks.append(lambda c, v=value: str(c.mailbox_id) == v)
            elif name == "assigned":
                checks.append(lambda c, v=value: str(c.assignee_id or "") == v)
            else:
                raise validation_error([("query", f"unsupported search field {name!r}", query)])
    checks.insert(0, lambda c: c.status in statuses)
    if mailboxes is not None:
        checks.append(lambda c: c.mailbox_id in mailboxes)
    if folder is not None:
        checks.append(lambda c: shapes._folder_id(c, store) == folder)
    if assigned_to is not None:
        checks.append(lambda c: c.assignee_id == assigned_to)
    if number is not None:
        checks.append(lambda c: c.number == number)
    if customer_id is not None:
        checks.append(lambda c: c.customer_id == customer_id)
    if since is not None:
        checks.append(lambda c: whole_seconds(c.modified_at) >= since)
    if tag_names:
        wanted_tags = set()
        for name in tag_names.split(","):
            name = name.strip().lower()
            tag = store.tags_by_name.get(name)
            if tag is not None:
                wanted_tags.add(tag.id)
            elif name.isdigit():
                wanted_tags.add(int(name))
        checks.append(lambda c: bool(wanted_tags.intersection(c.tag_ids)))
    return checks


@router.route("GET", r"/conversations")
def list_conversations(sb: Sandbox, request: Request) -> Response:
    store = sb.store
    sort_field, descending = sort_params(request, CONVERSATION_SORT_FIELDS, "createdAt")
    embed = "threads" in (request.param("embed") or "").split(",")
    key = tuple(sorted((k, tuple(v)) for k, v in request.query.items() if k not in ("page",)))
    with store.lock:
        version = store.version

        def build() -> list[int]:
            checks = _conversation_predicates(sb, request)
            matching = [
                c for c in store.conversations.values() if all(check(c) for check in checks)
            ]
            matching.sort(key=lambda c: (c.sort_value(sort_field, store), c.id), reverse=descending)
            return [c.id for c in matching]

        ids = sb.conversation_index.get(key, version, build)
        conversations = store.conversations

        def render(conversation_id: int) -> dict:
            return shapes.conversation(
                conversations[conversation_id], store, sb.api_base_url, embed_threads=embed
            )

        return paged(sb, request, "conversations", ids, render, CONVERSATION_PAGE_SIZE)


@router.route("GET", r"/conversations/(?P<conversation_id>\d+)")
def get_conversation(sb: Sandbox, request: Request, conversation_id: str) -> Response:
    embed = "threads" in (request.param("embed") or "").split(",")
    with sb.store.lock:
        conversation = lookup(sb.store.conversation, conversation_id)
        return Response.json(
            shapes.conversation(conversation, sb.store, sb.api_base_url, embed_threads=embed)
        )


@router.route("GET", r"/conversations/(?P<conversation_id>\d+)/threads")
def list_threads(sb: Sandbox, request: Request, conversation_id: str) -> Response:
    with sb.store.lock:
        conversation = lookup(sb.store.conversation, conversation_id)
        threads = list(reversed(sb.store.threads_of(conversation)))
        return paged(
            sb,
            request,
            "threads",
            threads,
            lambda t: shapes.thread(t, conversation, sb.store, sb.api_base_url),
        )


def _customer_reference(
    sb: Sandbox, value: Any, path: str, errors: list, required: bool = True
) -> dict | None:
    if value is None:
        if required:
            errors.append((path, "may not be null", None))
        return None
    if not isinstance(value, dict):
        errors.append((path, "must be an object with an id or an email", value))
        return None
    if value.get("id") is not None:
        try:
            sb.store.customer(int(value["id"]))
        except (NotFound, TypeError, ValueError):
            errors.append((f"{path}.id", "Customer not found", value.get("id")))
            return None
        return {"customer_id": int(value["id"])}
    email = value.get("email")
    if not isinstance(email, str) or not EMAIL_RE.match(email):
        errors.append((f"{path}.email", "must be a valid email address", email))
        return None
    return {
        "email": email,
        "first_name": value.get("firstName") or "",
        "last_name": value.get("lastName") or "",
    }


def _user_reference(sb: Sandbox, value: Any, path: str, errors: list) -> int | None:
    if value in (None, ""):
        return None
    try:
        user_id = int(value["id"] if isinstance(value, dict) else value)
        sb.store.user(user_id)
    except (NotFound, TypeError, ValueError, KeyError):
        errors.append((path, "User not found", value))
        return None
    return user_id


@router.route("POST", r"/conversations")
def create_conversation(sb: Sandbox, request: Request) -> Response:
    data = body_object(request)
    store = sb.store
    errors: list[tuple[str, str, Any]] = []
    subject = data.get("subject")
    if not isinstance(subject, str) or not subject.strip():
        errors.append(("subject", "may not be empty", subject))
    conversation_type = data.get("type")
    if conversation_type not in ("email", "phone", "chat"):
        errors.append(("type", "must be email, phone or chat", conversation_type))
    status = data.get("status")
    if status not in ("active", "pending", "closed"):
        errors.append(("status", "must be active, pending or closed", status))
    mailbox_id = data.get("mailboxId")
    try:
        store.mailbox(int(mailbox_id))
    except (NotFound, TypeError, ValueError):
        errors.append(("mailboxId", "Mailbox not found", mailbox_id))
    customer_ref = _customer_reference(sb, data.get("customer"), "customer", errors)
    assignee_id = _user_reference(sb, data.get("assignTo"), "assignTo", errors)
    threads_in = data.get("threads")
    threads: list[dict] = []
    if not isinstance(threads_in, list) or not threads_in:
        errors.append(("threads", "at least one thread is required", threads_in))
    else:
        for n, item in enumerate(threads_in):
            if not isinstance(item, dict):
                errors.append((f"threads[{n}]", "must be an object", item))
                continue
            kind = CREATE_THREAD_TYPES.get(item.get("type"))
            if kind is None:
                errors.append(
                    (
                        f"threads[{n}].type",
                        "must be customer, reply, note, phone or chat",
                        item.get("type"),
                    )
                )
            text = item.get("text")
            if not isinstance(text, str) or not text.strip():
                errors.append((f"threads[{n}].text", "may not be empty", text))
            user_id = _user_reference(sb, item.get("user"), f"threads[{n}].user", errors)
            threads.append({"type": kind, "text": text, "user_id": user_id})
    tags = data.get("tags") or []
    if not isinstance(tags, list) or not all(isinstance(t, str) and t.strip() for t in tags):
        errors.append(("tags", "must be a list of tag names", tags))
    created_at = None
    if data.get("createdAt") is not None:
        try:
            created_at = parse_iso(data["createdAt"])
        except (TypeError, ValueError):
            errors.append(("createdAt", "must be an ISO 8601 date-time", data["createdAt"]))
    fields = _custom_fields(sb, data.get("fields"), mailbox_id, errors)
    if errors:
        raise validation_error(errors)

    def change():
        with store.lock:
            if "customer_id" in customer_ref:
                customer = store.customer(customer_ref["customer_id"])
            else:
                customer = store.customer_for(**customer_ref)
            return store.create_conversation(
                mailbox_id=int(mailbox_id),
                customer=customer,
                subject=subject,
                threads=threads,
                status=status,
                type=conversation_type,
                tags=tags,
                assignee_id=assignee_id,
                created_at=created_at,
                custom_fields=fields,
            )

    conversation = run(change)
    return created(f"{sb.api_base_url}/conversations/{conversation.id}", conversation.id)


def _custom_fields(sb: Sandbox, value: Any, mailbox_id: Any, errors: list) -> dict[int, str]:
    if value in (None, []):
        return {}
    if not isinstance(value, list):
        errors.append(("fields", "must be a list of {id, value}", value))
        return {}
    try:
        known = {f.id for f in sb.store.custom_fields.get(int(mailbox_id), [])}
    except (TypeError, ValueError):
        known = set()
    result = {}
    for n, item in enumerate(value):
        field_id = item.get("id") if isinstance(item, dict) else None
        if field_id not in known:
            errors.append((f"fields[{n}].id", "Custom field not found in this mailbox", field_id))
            continue
        result[field_id] = "" if item.get("value") is None else str(item.get("value"))
    return result


@router.route(
    "POST", r"/conversations/(?P<conversation_id>\d+)/(?P<kind>reply|notes|customer|phones|chats)"
)
def create_thread(sb: Sandbox, request: Request, conversation_id: str, kind: str) -> Response:
    conversation = lookup(sb.store.conversation, conversation_id)
    data = body_object(request)
    errors: list[tuple[str, str, Any]] = []
    text = data.get("text")
    if not isinstance(text, str) or not text.strip():
        errors.append(("text", "may not be empty", text))
    customer_ref = _customer_reference(sb, data.get("customer"), "customer", errors, required=False)
    user_id = _user_reference(sb, data.get("user"), "user", errors)
    status = data.get("status")
    if status is not None and status not in STATUSES:
        errors.append(("status", "must be active, pending, closed or spam", status))
    if errors:
        raise validation_error(errors)

    def change():
        with sb.store.lock:
            customer_id = None
            if customer_ref:
                customer_id = (
                    customer_ref.get("customer_id") or sb.store.customer_for(**customer_ref).id
                )
            return sb.store.add_thread(
                conversation.id,
                THREAD_TYPES_BY_ENDPOINT[kind],
                text,
                user_id=user_id,
                customer_id=customer_id,
                status=status,
            )

    thread = run(change)
    return created(
        f"{sb.api_base_url}/conversations/{conversation.id}/threads/{thread.id}", thread.id
    )


PATCH_PATHS = {
    "/subject": ("replace",),
    "/status": ("replace",),
    "/assignTo": ("replace", "remove"),
    "/mailboxId": ("move", "replace"),
    "/primaryCustomer.id": ("replace",),
    "/draft": ("replace",),
}


@router.route("PATCH", r"/conversations/(?P<conversation_id>\d+)")
def patch_conversation(sb: Sandbox, request: Request, conversation_id: str) -> Response:
    conversation = lookup(sb.store.conversation, conversation_id)
    data = body_object(request)
    op, path, value = data.get("op"), data.get("path"), data.get("value")
    if path not in PATCH_PATHS:
        raise validation_error([("path", f"must be one of {', '.join(PATCH_PATHS)}", path)])
    if op not in PATCH_PATHS[path]:
        raise validation_error([("op", f"must be {' or '.join(PATCH_PATHS[path])}", op)])
    changes: dict[str, Any] = {}
    errors: list[tuple[str, str, Any]] = []
    if path == "/subject":
        if not isinstance(value, str) or not value.strip():
            errors.append(("value", "may not be empty", value))
        changes["subject"] = value
    elif path == "/status":
        if value not in ("active", "pending", "closed", "spam"):
            errors.append(("value", "must be active, pending, closed or spam", value))
        changes["status"] = value
    elif path == "/assignTo":
        changes["assignee_id"] = (
            None if op == "remove" else _user_reference(sb, value, "value", errors)
        )
        if op != "remove" and value in (None, ""):
            errors.append(("value", "may not be null", value))
    elif path == "/mailboxId":
        try:
            changes["mailbox_id"] = sb.store.mailbox(int(value)).id
        except (NotFound, TypeError, ValueError):
            errors.append(("value", "Mailbox not found", value))
    elif path == "/primaryCustomer.id":
        try:
            changes["customer_id"] = sb.store.customer(int(value)).id
        except (NotFound, TypeError, ValueError):
            errors.append(("value", "Customer not found", value))
    elif path == "/draft" and value is not False:
        errors.append(("value", "a published conversation cannot become a draft", value))
    if errors:
        raise validation_error(errors)
    run(lambda: sb.store.update_conversation(conversation.id, **changes))
    return Response.empty(204)


@router.route("DELETE", r"/conversations/(?P<conversation_id>\d+)")
def delete_conversation(sb: Sandbox, request: Request, conversation_id: str) -> Response:
    conversation = lookup(sb.store.conversation, conversation_id)
    run(lambda: sb.store.delete_conversation(conversation.id))
    return Response.empty(204)


@router.route("PUT", r"/conversations/(?P<conversation_id>\d+)/tags")
def put_tags(sb: Sandbox, request: Request, conversation_id: str) -> Response:
    conversation = lookup(sb.store.conversation, conversation_id)
    data = body_object(request)
    tags = data.get("tags")
    if not isinstance(tags, list) or not all(isinstance(t, str) and t.strip() for t in tags):
        raise validation_error([("tags", "must be a list of tag names", tags)])
    run(lambda: sb.store.update_conversation(conversation.id, tags=tags))
    return Response.empty(204)


@router.route("PUT", r"/conversations/(?P<conversation_id>\d+)/fields")
def put_fields(sb: Sandbox, request: Request, conversation_id: str) -> Response:
    conversation = lookup(sb.store.conversation, conversation_id)
    data = body_object(request)
    errors: list = []
    fields = _custom_fields(sb, data.get("fields") or [], conversation.mailbox_id, errors)
    if errors:
        raise validation_error(errors)
    merged = {**conversation.custom_fields, **fields}
    run(lambda: sb.store.update_conversation(conversation.id, custom_fields=merged))
    return Response.empty(204)


# -- customers ---------------------------------------------------------------------------------

CUSTOMER_FIELDS = {
    "firstName": "first_name",
    "lastName": "last_name",
    "jobTitle": "job_title",
    "organization": "organization",
    "location": "location",
    "background": "background",
    "gender": "gender",
    "age": "age",
    "photoUrl": "photo_url",
}


@router.route("GET", r"/customers")
def list_customers(sb: Sandbox, request: Request) -> Response:
    store = sb.store
    sort_field, descending = sort_params(
        request, ("createdAt", "firstName", "lastName", "modifiedAt", "score"), "createdAt"
    )
    since = since_param(request)
    mailbox = int_param(request, "mailbox")
    first, last = request.param("firstName"), request.param("lastName")
    query = request.param("query")
    with store.lock:
        items = list(store.customers.values())
        if query:
            for name, value in parse_query(query):
                if name == "email":
                    found = store.customer_by_email(value)
                    items = [c for c in items if c is found]
                elif name in ("firstName", "lastName"):
                    attr = CUSTOMER_FIELDS[name]
                    items = [c for c in items if getattr(c, attr).lower() == value.lower()]
                else:
                    raise validation_error([("query", f"unsupported search field {name!r}", query)])
        if first:
            items = [c for c in items if c.first_name.lower() == first.lower()]
        if last:
            items = [c for c in items if c.last_name.lower() == last.lower()]
        if since is not None:
            items = [c for c in items if whole_seconds(c.updated_at) >= since]
        if mailbox is not None:
            in_mailbox = {
                c.customer_id for c in store.conversations.values() if c.mailbox_id == mailbox
            }
            items = [c for c in items if c.id in in_mailbox]
        sort_key = {
            "firstName": lambda c: (c.first_name.lower(), c.id),
            "lastName": lambda c: (c.last_name.lower(), c.id),
            "modifiedAt": lambda c: (c.updated_at, c.id),
        }.get(sort_field, lambda c: (c.created_at, c.id))
        items.sort(key=sort_key, reverse=descending)
        return paged(
            sb,
            request,
            "customers",
            items,
            lambda c: shapes.customer(c, sb.api_base_url, store),
        )


@router.route("GET", r"/customers/(?P<customer_id>\d+)")
def get_customer(sb: Sandbox, request: Request, customer_id: str) -> Response:
    with sb.store.lock:
        customer = lookup(sb.store.customer, customer_id)
        return Response.json(shapes.customer(customer, sb.api_base_url, sb.store))


def _customer_attributes(data: dict, errors: list) -> dict[str, Any]:
    attributes = {}
    for key, attr in CUSTOMER_FIELDS.items():
        if key in data:
            value = data[key]
            if value is not None and not isinstance(value, str | int):
                errors.append((key, "must be a string", value))
                continue
            attributes[attr] = "" if value is None else str(value)
    for key in ("firstName", "lastName"):
        if len(attributes.get(CUSTOMER_FIELDS[key], "")) > 40:
            errors.append((key, "may be at most 40 characters", data[key]))
    return attributes


@router.route("POST", r"/customers")
def create_customer(sb: Sandbox, request: Request) -> Response:
    data = body_object(request)
    errors: list[tuple[str, str, Any]] = []
    attributes = _customer_attributes(data, errors)
    emails = []
    for n, item in enumerate(data.get("emails") or []):
        value = item.get("value") if isinstance(item, dict) else None
        if not isinstance(value, str) or not EMAIL_RE.match(value):
            errors.append((f"emails[{n}].value", "must be a valid email address", value))
            continue
        if sb.store.customer_by_email(value) is not None:
            errors.append((f"emails[{n}].value", "Email already belongs to a customer", value))
            continue
        emails.append((value, item.get("type") or "work"))
    if not attributes.get("first_name") and not emails:
        errors.append(("firstName", "a customer needs a first name or an email", None))
    if errors:
        raise validation_error(errors)
    first = attributes.pop("first_name", "")
    last = attributes.pop("last_name", "")
    customer = run(lambda: sb.store.add_customer(first, last, emails, **attributes))
    return created(f"{sb.api_base_url}/customers/{customer.id}", customer.id)


@router.route("PUT", r"/customers/(?P<customer_id>\d+)")
def replace_customer(sb: Sandbox, request: Request, customer_id: str) -> Response:
    customer = lookup(sb.store.customer, customer_id)
    data = body_object(request)
    errors: list = []
    attributes = _customer_attributes(data, errors)
    if not attributes.get("first_name"):
        errors.append(("firstName", "may not be empty", data.get("firstName")))
    if errors:
        raise validation_error(errors)
    # PUT replaces the customer's own fields; emails, phones... are sub-resources.
    replaced = {attr: attributes.get(attr, "") for attr in CUSTOMER_FIELDS.values()}
    replaced["gender"] = replaced["gender"] or "unknown"
    run(lambda: sb.store.update_customer(customer.id, **replaced))
    return Response.empty(204)


@router.route("PATCH", r"/customers/(?P<customer_id>\d+)")
def patch_customer(sb: Sandbox, request: Request, customer_id: str) -> Response:
    customer = lookup(sb.store.customer, customer_id)
    data = request.json()
    operations = data if isinstance(data, list) else [data]
    changes, errors = {}, []
    for n, operation in enumerate(operations):
        if not isinstance(operation, dict) or operation.get("op") not in ("replace", "remove"):
            errors.append((f"[{n}].op", "must be replace or remove", operation))
            continue
        key = str(operation.get("path", "")).lstrip("/")
        if key not in CUSTOMER_FIELDS:
            errors.append((f"[{n}].path", "unknown customer field", operation.get("path")))
            continue
        value = operation.get("value") if operation["op"] == "replace" else ""
        changes[CUSTOMER_FIELDS[key]] = "" if value is None else str(value)
    if errors:
        raise validation_error(errors)
    run(lambda: sb.store.update_customer(customer.id, **changes))
    return Response.empty(204)


@router.route("DELETE", r"/customers/(?P<customer_id>\d+)")
def delete_customer(sb: Sandbox, request: Request, customer_id: str) -> Response:
    customer = lookup(sb.store.customer, customer_id)
    run(lambda: sb.store.delete_customer(customer.id))
    return Response.empty(204)


@router.route("GET", r"/customer-properties")
def list_customer_properties(sb: Sandbox, request: Request) -> Response:
    items = list(sb.store.property_definitions.values())
    return paged(sb, request, "customer-properties", items, shapes.property_definition)


def validate_property(definition, value: Any) -> tuple[Any, str | None]:
    """(normalised value, error message or None) for one customer property value."""
    kind = definition.type
    if kind == "text":
        if not isinstance(value, str | int | float):
            return value, "must be text"
        return str(value), None
    if kind == "number":
        if isinstance(value, bool):
            return value, "must be a number"
        try:
            number = float(value)
        except (TypeError, ValueError):
            return value, "must be a number"
        if not math.isfinite(number):
            return value, "must be a number"
        return (int(number) if number.is_integer() else number), None
    if kind == "date":
        try:
            parse_iso(str(value))
        except ValueError:
            return value, "must be a date (YYYY-MM-DD) or ISO 8601 date-time"
        return str(value), None
    if kind == "url":
        if not isinstance(value, str) or not re.match(r"^https?://[^\s/]+", value):
            return value, "must be an http(s) URL"
        return value, None
    # dropdown: an option id (or its label, for convenience)
    for option_id, label in definition.options:
        if str(value) == str(option_id) or (isinstance(value, str) and value == label):
            return str(option_id), None
    return value, "must be one of the dropdown's option ids"


@router.route("PATCH", r"/customers/(?P<customer_id>\d+)/properties")
def patch_properties(sb: Sandbox, request: Request, customer_id: str) -> Response:
    customer = lookup(sb.store.customer, customer_id)
    operations = request.json()
    if not isinstance(operations, list):
        raise validation_error([("", "must be a list of operations", operations)])
    values: dict[str, Any] = {}
    errors: list[tuple[str, str, Any]] = []
    for n, operation in enumerate(operations):
        if not isinstance(operation, dict):
            errors.append((f"[{n}]", "must be an object", operation))
            continue
        op, path = operation.get("op"), str(operation.get("path", ""))
        slug = path.lstrip("/")
        definition = sb.store.property_definitions.get(slug)
        if op not in ("replace", "remove"):
            errors.append((f"[{n}].op", "must be replace or remove", op))
        elif definition is None:
            errors.append((f"[{n}].path", "unknown customer property", path))
        elif op == "remove":
            values[slug] = None
        else:
            value, problem = validate_property(definition, operation.get("value"))
            if problem:
                errors.append((f"[{n}].value", problem, operation.get("value")))
            else:
                values[slug] = value
    if errors:
        raise validation_error(errors)
    run(lambda: sb.store.set_customer_properties(customer.id, values))
    return Response.empty(204)


# -- webhooks ----------------------------------------------------------------------------------

WEBHOOK_EVENTS = (
    "convo.agent.reply.created",
    "convo.assigned",
    "convo.created",
    "convo.custom-fields",
    "convo.customer.reply.created",
    "convo.deleted",
    "convo.merged",
    "convo.moved",
    "convo.note.created",
    "convo.status",
    "convo.tags",
    "customer.created",
    "customer.deleted",
    "customer.updated",
    "satisfaction.ratings",
    "tag.created",
    "tag.deleted",
    "tag.updated",
    "beacon.chat.created",
    "beacon.chat.customer.replied",
    "message.survey.response.received",
)


def _webhook_fields(sb: Sandbox, data: dict, partial: bool = False) -> dict[str, Any]:
    errors: list[tuple[str, str, Any]] = []
    url = data.get("url")
    if not isinstance(url, str) or not re.match(r"^https?://\S+$", url):
        errors.append(("url", "must be an http(s) URL", url))
    events = data.get("events")
    if not isinstance(events, list) or not events:
        errors.append(("events", "must be a non-empty list of events", events))
    else:
        for event in events:
            if event not in WEBHOOK_EVENTS:
                errors.append(("events", "unknown event", event))
    secret = data.get("secret")
    if not isinstance(secret, str) or not secret:
        errors.append(("secret", "may not be empty", None))
    elif len(secret) > 40:
        errors.append(("secret", "may be at most 40 characters", "[redacted]"))
    version = data.get("payloadVersion", "V2")
    if version != "V2":
        errors.append(("payloadVersion", "must be V2", version))
    mailbox_ids = data.get("mailboxIds") or []
    if not isinstance(mailbox_ids, list) or any(m not in sb.store.mailboxes for m in mailbox_ids):
        errors.append(("mailboxIds", "unknown mailbox", mailbox_ids))
    if errors:
        raise validation_error(errors)
    return {
        "url": url,
        "secret": secret,
        "events": list(events),
        "label": str(data.get("label") or ""),
        "notification": bool(data.get("notification", False)),
        "mailbox_ids": list(mailbox_ids),
    }


@router.route("GET", r"/webhooks")
def list_webhooks(sb: Sandbox, request: Request) -> Response:
    items = sorted(sb.store.webhooks.values(), key=lambda w: w.id)
    return paged(sb, request, "webhooks", items, lambda w: shapes.webhook(w, sb.api_base_url))


@router.route("GET", r"/webhooks/(?P<webhook_id>\d+)")
def get_webhook(sb: Sandbox, request: Request, webhook_id: str) -> Response:
    return Response.json(shapes.webhook(lookup(sb.store.webhook, webhook_id), sb.api_base_url))


@router.route("POST", r"/webhooks")
def create_webhook(sb: Sandbox, request: Request) -> Response:
    fields = _webhook_fields(sb, body_object(request))
    webhook = sb.store.add_webhook(**fields)
    return created(f"{sb.api_base_url}/webhooks/{webhook.id}", webhook.id)


@router.route("PUT", r"/webhooks/(?P<webhook_id>\d+)")
def update_webhook(sb: Sandbox, request: Request, webhook_id: str) -> Response:
    webhook = lookup(sb.store.webhook, webhook_id)
    fields = _webhook_fields(sb, body_object(request))
    with sb.store.lock:
        for name, value in fields.items():
            setattr(webhook, name, value)
    return Response.empty(204)


@router.route("DELETE", r"/webhooks/(?P<webhook_id>\d+)")
def delete_webhook(sb: Sandbox, request: Request, webhook_id: str) -> Response:
    webhook = lookup(sb.store.webhook, webhook_id)
    sb.store.delete_webhook(webhook.id)
    return Response.empty(204)
