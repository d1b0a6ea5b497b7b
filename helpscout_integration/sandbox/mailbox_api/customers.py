"""Customer routes: lists and search, create, replace, patch, and typed customer
properties (delete: `customer_delete`). Never stores anything the store does not."""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING, Any

from .. import shapes
from ..clock import parse_iso, whole_seconds
from ..organizations import customer_organization_id
from ..query import CustomerQuery, QueryError
from ..server import Request, Response, validation_error
from .base import (
    EMAIL_RE,
    body_object,
    created,
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
def list_customers(sb: SandboxHost, request: Request) -> Response:
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
            try:
                matches = CustomerQuery(store).compile(query)
            except QueryError as error:
                raise validation_error([("query", str(error), query)]) from None
            items = [c for c in items if matches(c)]
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
def get_customer(sb: SandboxHost, request: Request, customer_id: str) -> Response:
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
def create_customer(sb: SandboxHost, request: Request) -> Response:
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
    if "organizationId" in data:
        attributes["organization_id"] = run(
            lambda: customer_organization_id(sb.store, data["organizationId"])
        )
    if errors:
        raise validation_error(errors)
    first = attributes.pop("first_name", "")
    last = attributes.pop("last_name", "")
    customer = run(lambda: sb.store.add_customer(first, last, emails, **attributes))
    return created(f"{sb.api_base_url}/customers/{customer.id}", customer.id)


@router.route("PUT", r"/customers/(?P<customer_id>\d+)")
def replace_customer(sb: SandboxHost, request: Request, customer_id: str) -> Response:
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
    replaced["organization_id"] = run(
        lambda: customer_organization_id(sb.store, data.get("organizationId"))
    )
    run(lambda: sb.store.update_customer(customer.id, **replaced))
    return Response.empty(204)


@router.route("PATCH", r"/customers/(?P<customer_id>\d+)")
def patch_customer(sb: SandboxHost, request: Request, customer_id: str) -> Response:
    customer = lookup(sb.store.customer, customer_id)
    data = request.json()
    operations = data if isinstance(data, list) else [data]
    changes, errors = {}, []
    for n, operation in enumerate(operations):
        if not isinstance(operation, dict) or operation.get("op") not in ("replace", "remove"):
            errors.append((f"[{n}].op", "must be replace or remove", operation))
            continue
        key = str(operation.get("path", "")).lstrip("/")
        if key == "organizationId":
            value = operation.get("value") if operation["op"] == "replace" else None
            changes["organization_id"] = run(
                lambda value=value, n=n: customer_organization_id(sb.store, value, f"[{n}].value")
            )
            continue
        if key not in CUSTOMER_FIELDS:
            errors.append((f"[{n}].path", "unknown customer field", operation.get("path")))
            continue
        value = operation.get("value") if operation["op"] == "replace" else ""
        changes[CUSTOMER_FIELDS[key]] = "" if value is None else str(value)
    if errors:
        raise validation_error(errors)
    run(lambda: sb.store.update_customer(customer.id, **changes))
    return Response.empty(204)


@router.route("GET", r"/customer-properties")
def list_customer_properties(sb: SandboxHost, request: Request) -> Response:
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
def patch_properties(sb: SandboxHost, request: Request, customer_id: str) -> Response:
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
