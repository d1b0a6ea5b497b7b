"""Conversation and thread routes: lists with every filter, creates, PATCH operations,
tags, custom fields, deletes.

Lists the sync asks for (status, mailbox, `modifiedSince`, `sortField=modifiedAt`, and the
default `createdAt` order without `modifiedSince`) are answered from the store's time
indexes in O(log N + page), as Help Scout answers them; any other filter or sort filters
and sorts the account, caching the id list per store version.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from .. import shapes
from ..clock import parse_iso, whole_seconds
from ..query import ConversationQuery, QueryError, contains_words, words
from ..server import Request, Response, validation_error
from ..store import STATUSES, NotFound
from . import attachments, scheduling
from .base import (
    CONVERSATION_PAGE_SIZE,
    CONVERSATION_SORT_FIELDS,
    CREATE_THREAD_TYPES,
    EMAIL_RE,
    THREAD_TYPES_BY_ENDPOINT,
    body_object,
    created,
    embed_param,
    int_list_param,
    int_param,
    lookup,
    paged,
    router,
    run,
    since_param,
    sort_params,
)

if TYPE_CHECKING:
    from ..host import SandboxHost
    from ..records import Conversation
    from ..store import Store

_T = TypeVar("_T")

# -- conversations -----------------------------------------------------------------------------


#: Custom field types searched as full text by `customFieldsByIds`.
SINGLE_LINE_TYPES = frozenset(("single_line",))

#: Parameters the time indexes answer on their own.
INDEXED_PARAMS = frozenset(
    ("status", "mailbox", "modifiedSince", "sortField", "sortOrder", "page", "embed")
)


def _indexed_selection(sb: SandboxHost, request: Request, sort_field: str, descending: bool):
    """The request's ids from an index, or None when it filters or sorts otherwise.

    `sortField=modifiedAt` (with or without `modifiedSince`) is the sync's listing; the
    default `createdAt` order without `modifiedSince` is its per-mailbox count check
    (page 1 for `page.totalElements`), which must not scan a large account either.
    """
    if sort_field not in ("modifiedAt", "createdAt") or not INDEXED_PARAMS.issuperset(
        request.query
    ):
        return None
    # Parsed in the full scan's order, so a bad request is refused with the same error.
    statuses = _status_filter(request.param("status"))
    mailboxes = int_list_param(request, "mailbox")
    since = since_param(request)
    if sort_field == "modifiedAt":
        return sb.store.modified_order.query(statuses, mailboxes, since, descending)
    if since is None:
        return sb.store.created_order.query(statuses, mailboxes, None, descending)
    return None


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


def _bind(test: Callable[[Conversation, _T], bool], value: _T) -> Callable[[Conversation], bool]:
    """`test` with its second argument fixed now (a loop variable would be bound late)."""
    return lambda c: test(c, value)


def _custom_fields_filter(raws: list[str], mailboxes: set[int] | None) -> list[tuple[int, str]]:
    """`customFieldsByIds=ID:VALUE,ID:VALUE`, the parameter possibly repeated: conversations
    whose fields hold every pair. Help Scout refuses it without `mailbox`."""
    pairs = []
    for raw in raws:
        if not raw:
            continue
        for part in raw.split(","):
            field_id, sep, value = part.partition(":")
            if not sep or not field_id.strip().isdigit():
                raise validation_error([("customFieldsByIds", "must be ID:VALUE,...", raw)])
            pairs.append((int(field_id), value))
    if pairs and mailboxes is None:
        raise validation_error([("mailbox", "is required to filter by customFieldsByIds", None)])
    return pairs


def _custom_fields_test(
    store: Store, pairs: list[tuple[int, str]]
) -> Callable[[Conversation], bool]:
    """Every pair must hold; a single-line text field matches its words (full text), any
    other field its exact value (a dropdown's option id, a date, a number)."""
    types = {f.id: f.type for fields in store.custom_fields.values() for f in fields}
    tests = []
    for field_id, value in pairs:
        if types.get(field_id) in SINGLE_LINE_TYPES:
            wanted = words(value)
            tests.append(
                _bind(
                    lambda c, a: contains_words(c.custom_fields.get(a[0], ""), a[1]),
                    (field_id, wanted),
                )
            )
        else:
            tests.append(_bind(lambda c, a: c.custom_fields.get(a[0]) == a[1], (field_id, value)))
    return lambda c: all(test(c) for test in tests)


def _conversation_predicates(sb: SandboxHost, request: Request) -> list:
    store = sb.store
    checks: list[Callable[[Conversation], bool]] = []
    statuses = _status_filter(request.param("status"))
    mailboxes = int_list_param(request, "mailbox")
    folder = int_param(request, "folder")
    assigned_to = int_param(request, "assigned_to")
    number = int_param(request, "number")
    since = since_param(request)
    tag_names = request.param("tag")
    query = request.param("query")
    customer_id = int_param(request, "customerId")
    custom_fields = _custom_fields_filter(request.query.get("customFieldsByIds", []), mailboxes)
    if custom_fields:
        checks.append(_custom_fields_test(store, custom_fields))
    if query:
        compiler = ConversationQuery(store)
        try:
            checks.append(compiler.compile(query))
        except QueryError as error:
            raise validation_error([("query", str(error), query)]) from None
        if compiler.mentions_status and request.param("status") is None:
            statuses = set(STATUSES)  # the query's own status term decides
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


def _filtered_ids(
    sb: SandboxHost, request: Request, sort_field: str, descending: bool
) -> list[int]:
    """Every filter and sort, by reading the whole account (the path for the rest)."""
    store = sb.store
    checks = _conversation_predicates(sb, request)
    matching = [c for c in store.conversations.values() if all(check(c) for check in checks)]
    matching.sort(
        key=lambda c: (c.sort_value(sort_field, store.customers), c.id), reverse=descending
    )
    return [c.id for c in matching]


@router.route("GET", r"/conversations")
def list_conversations(sb: SandboxHost, request: Request) -> Response:
    store = sb.store
    sort_field, descending = sort_params(request, CONVERSATION_SORT_FIELDS, "createdAt")
    embed = "threads" in embed_param(request)
    key = tuple(sorted((k, tuple(v)) for k, v in request.query.items() if k not in ("page",)))
    with store.lock:
        version = store.version
        ids = _indexed_selection(sb, request, sort_field, descending)
        if ids is None:
            ids = sb.conversation_index.get(
                key, version, lambda: _filtered_ids(sb, request, sort_field, descending)
            )

        def render(conversation_id: int) -> dict:
            return render_conversation(sb, conversation_id, embed=embed)

        return paged(sb, request, "conversations", ids, render, CONVERSATION_PAGE_SIZE)


def render_conversation(sb: SandboxHost, conversation_id: int, *, embed: bool = False) -> dict:
    """A conversation as list pages show it (threads embedded on request)."""
    shaped = shapes.conversation(
        sb.store.conversations[conversation_id], sb.store, sb.api_base_url, embed_threads=embed
    )
    if embed:
        shapes.truncate_chat_threads(shaped)
    return shaped


@router.route("GET", r"/conversations/(?P<conversation_id>\d+)")
def get_conversation(sb: SandboxHost, request: Request, conversation_id: str) -> Response:
    embed = "threads" in embed_param(request)
    with sb.store.lock:
        survivor = sb.store.merged_into(int(conversation_id))
        if survivor is not None:
            # Help Scout: a merged conversation answers 301 with the survivor's URI for
            # 60 days (other routes answer 404: "call Get Conversation" for the location).
            return Response.empty(301, {"Location": f"{sb.api_base_url}/conversations/{survivor}"})
        conversation = lookup(sb.store.conversation, conversation_id)
        return Response.json(
            shapes.conversation(conversation, sb.store, sb.api_base_url, embed_threads=embed)
        )


@router.route("GET", r"/conversations/(?P<conversation_id>\d+)/threads")
def list_threads(sb: SandboxHost, request: Request, conversation_id: str) -> Response:
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
    sb: SandboxHost, value: Any, path: str, errors: list, required: bool = True
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


def _user_reference(sb: SandboxHost, value: Any, path: str, errors: list) -> int | None:
    if value in (None, ""):
        return None
    try:
        user_id = int(value["id"] if isinstance(value, dict) else value)
        if user_id not in sb.store.teams:  # a team is assigned as a user is (teams.py)
            sb.store.user(user_id)
    except (NotFound, TypeError, ValueError, KeyError):
        errors.append((path, "User not found", value))
        return None
    return user_id


@router.route("POST", r"/conversations")
def create_conversation(sb: SandboxHost, request: Request) -> Response:
    data = body_object(request)
    store = sb.store
    errors: list[tuple[str, str, Any]] = []
    # Raw JSON values, validated below (errors end the request before they are used).
    subject: Any = data.get("subject")
    if not isinstance(subject, str) or not subject.strip():
        errors.append(("subject", "may not be empty", subject))
    conversation_type: Any = data.get("type")
    if conversation_type not in ("email", "phone", "chat"):
        errors.append(("type", "must be email, phone or chat", conversation_type))
    status: Any = data.get("status")
    if status not in ("active", "pending", "closed"):
        errors.append(("status", "must be active, pending or closed", status))
    mailbox_id: Any = data.get("mailboxId")
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
            kind = CREATE_THREAD_TYPES.get(item.get("type", ""))
            if kind is None:
                errors.append(
                    (
                        f"threads[{n}].type",
                        "must be customer, reply, note, phone or chat",
                        item.get("type"),
                    )
                )
            text: Any = item.get("text")
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
    if errors or customer_ref is None:  # a required reference is None only with an error
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


def _custom_fields(sb: SandboxHost, value: Any, mailbox_id: Any, errors: list) -> dict[int, str]:
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
def create_thread(sb: SandboxHost, request: Request, conversation_id: str, kind: str) -> Response:
    conversation = lookup(sb.store.conversation, conversation_id)
    data = body_object(request)
    errors: list[tuple[str, str, Any]] = []
    text: Any = data.get("text")
    if not isinstance(text, str) or not text.strip():
        errors.append(("text", "may not be empty", text))
    customer_ref = _customer_reference(sb, data.get("customer"), "customer", errors, required=False)
    user_id = _user_reference(sb, data.get("user"), "user", errors)
    status = data.get("status")
    if status is not None and status not in STATUSES:
        errors.append(("status", "must be active, pending, closed or spam", status))
    copies = {}
    for name in ("cc", "bcc"):
        value = data.get(name) or []
        if not isinstance(value, list) or not all(
            isinstance(a, str) and EMAIL_RE.fullmatch(a) for a in value
        ):
            errors.append((name, "must be a list of email addresses", value))
        copies[name] = value
    files = attachments.read_inline(data.get("attachments"), errors)
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
                cc=copies["cc"],
                bcc=copies["bcc"],
            )

    thread = run(change)
    attachments.store_inline(sb, conversation.id, thread.id, files)
    scheduling.after_thread_created(sb, conversation.id, thread, data)
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
def patch_conversation(sb: SandboxHost, request: Request, conversation_id: str) -> Response:
    conversation = lookup(sb.store.conversation, conversation_id)
    data = body_object(request)
    op, path = data.get("op"), data.get("path")
    value: Any = data.get("value")  # raw JSON, checked per path below
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
def delete_conversation(sb: SandboxHost, request: Request, conversation_id: str) -> Response:
    conversation = lookup(sb.store.conversation, conversation_id)
    run(lambda: sb.store.delete_conversation(conversation.id))
    return Response.empty(204)


@router.route("PUT", r"/conversations/(?P<conversation_id>\d+)/tags")
def put_tags(sb: SandboxHost, request: Request, conversation_id: str) -> Response:
    conversation = lookup(sb.store.conversation, conversation_id)
    data = body_object(request)
    tags = data.get("tags")
    if not isinstance(tags, list) or not all(isinstance(t, str) and t.strip() for t in tags):
        raise validation_error([("tags", "must be a list of tag names", tags)])
    run(lambda: sb.store.update_conversation(conversation.id, tags=tags))
    return Response.empty(204)


@router.route("PUT", r"/conversations/(?P<conversation_id>\d+)/fields")
def put_fields(sb: SandboxHost, request: Request, conversation_id: str) -> Response:
    conversation = lookup(sb.store.conversation, conversation_id)
    data = body_object(request)
    errors: list = []
    fields = _custom_fields(sb, data.get("fields") or [], conversation.mailbox_id, errors)
    if errors:
        raise validation_error(errors)
    merged = {**conversation.custom_fields, **fields}
    run(lambda: sb.store.update_conversation(conversation.id, custom_fields=merged))
    return Response.empty(204)
