"""Customer sub-resources: `/customers/{id}/emails|phones|chats|social-profiles|websites`
(list, get one, create 201, update 204, delete 204) and `/customers/{id}/address` (get,
create, update, delete), the routes of the PHP SDK's CustomerEntryEndpoint.

Every `_links` a customer or an entry offers resolves here. The changes themselves live in
`customer_entries` (the store side); this module only reads and checks HTTP.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .. import customer_entries as changes
from ..customer_entries import ADDRESS_FIELDS, ENTRY_KINDS, ENTRY_TYPES
from ..server import Request, Response, validation_error
from .base import EMAIL_RE, body_object, created, lookup, router, run

if TYPE_CHECKING:
    from ..host import SandboxHost

KINDS = "|".join(ENTRY_KINDS)
CUSTOMER = r"/customers/(?P<customer_id>\d+)"


def entry_shape(base: str, customer_id: int, kind: str, entry: tuple[int, str, str]) -> dict:
    entry_id, value, type = entry
    shaped: dict[str, Any] = {"id": entry_id, "value": value}
    if kind != "websites":
        shaped["type"] = type
    shaped["_links"] = {"self": {"href": f"{base}/customers/{customer_id}/{kind}/{entry_id}"}}
    return shaped


def address_shape(base: str, customer_id: int, address: dict[str, Any]) -> dict:
    return {
        **{name: address.get(name) for name in ADDRESS_FIELDS},
        "_links": {"self": {"href": f"{base}/customers/{customer_id}/address"}},
    }


@router.route("GET", CUSTOMER + rf"/(?P<kind>{KINDS})")
def list_entries(sb: SandboxHost, request: Request, customer_id: str, kind: str) -> Response:
    with sb.store.lock:
        customer = lookup(sb.store.customer, customer_id)
        base = sb.api_base_url
        listed = [entry_shape(base, customer.id, kind, e) for e in changes.entries(customer, kind)]
        body: dict[str, Any] = {
            "_links": {"self": {"href": f"{base}/customers/{customer.id}/{kind}"}}
        }
        if listed:  # Help Scout leaves `_embedded` out of an empty list
            body["_embedded"] = {kind: listed}
        return Response.json(body)


@router.route("GET", CUSTOMER + rf"/(?P<kind>{KINDS})/(?P<entry_id>\d+)")
def get_entry(
    sb: SandboxHost, request: Request, customer_id: str, kind: str, entry_id: str
) -> Response:
    with sb.store.lock:
        customer = lookup(sb.store.customer, customer_id)
        entry = lookup(lambda i: changes.find_entry(customer, kind, i), entry_id)
        return Response.json(entry_shape(sb.api_base_url, customer.id, kind, entry))


def _entry_body(request: Request, kind: str) -> tuple[str, str]:
    data = body_object(request)
    errors: list[tuple[str, str, Any]] = []
    value = data.get("value")
    if not isinstance(value, str) or not value.strip():
        errors.append(("value", "may not be empty", value))
    elif kind == "emails" and not EMAIL_RE.match(value):
        errors.append(("value", "must be a valid email address", value))
    type = data.get("type")
    allowed = ENTRY_TYPES.get(kind)
    if allowed is None:
        type = ""
    elif type not in allowed:
        errors.append(("type", f"must be one of {', '.join(allowed)}", type))
    if errors:
        raise validation_error(errors)
    return str(value).strip(), str(type)


@router.route("POST", CUSTOMER + rf"/(?P<kind>{KINDS})")
def create_entry(sb: SandboxHost, request: Request, customer_id: str, kind: str) -> Response:
    customer = lookup(sb.store.customer, customer_id)
    value, type = _entry_body(request, kind)
    entry_id = run(lambda: changes.add_entry(sb.store, customer.id, kind, value, type))
    return created(f"{sb.api_base_url}/customers/{customer.id}/{kind}/{entry_id}", entry_id)


@router.route("PUT", CUSTOMER + rf"/(?P<kind>{KINDS})/(?P<entry_id>\d+)")
def update_entry(
    sb: SandboxHost, request: Request, customer_id: str, kind: str, entry_id: str
) -> Response:
    customer = lookup(sb.store.customer, customer_id)
    entry = lookup(lambda i: changes.find_entry(customer, kind, i), entry_id)
    value, type = _entry_body(request, kind)
    run(lambda: changes.update_entry(sb.store, customer.id, kind, entry[0], value, type))
    return Response.empty(204)


@router.route("DELETE", CUSTOMER + rf"/(?P<kind>{KINDS})/(?P<entry_id>\d+)")
def delete_entry(
    sb: SandboxHost, request: Request, customer_id: str, kind: str, entry_id: str
) -> Response:
    customer = lookup(sb.store.customer, customer_id)
    entry = lookup(lambda i: changes.find_entry(customer, kind, i), entry_id)
    run(lambda: changes.delete_entry(sb.store, customer.id, kind, entry[0]))
    return Response.empty(204)


# -- address: one per customer -----------------------------------------------------------------


@router.route("GET", CUSTOMER + r"/address")
def get_address(sb: SandboxHost, request: Request, customer_id: str) -> Response:
    with sb.store.lock:
        customer = lookup(sb.store.customer, customer_id)
        if not customer.address:
            return Response.json(
                {"_links": {"self": {"href": f"{sb.api_base_url}/customers/{customer.id}/address"}}}
            )
        return Response.json(address_shape(sb.api_base_url, customer.id, customer.address))


def _address_body(request: Request) -> dict[str, Any]:
    data = body_object(request)
    errors: list[tuple[str, str, Any]] = []
    address: dict[str, Any] = {}
    for name in ("city", "state", "postalCode", "country"):
        value = data.get(name)
        if value is not None and not isinstance(value, str):
            errors.append((name, "must be a string", value))
        address[name] = value or ""
    lines = data.get("lines") or []
    if not isinstance(lines, list) or not all(isinstance(line, str) for line in lines):
        errors.append(("lines", "must be a list of strings", lines))
    address["lines"] = lines
    if not any(address[name] for name in ("city", "state", "postalCode", "country", "lines")):
        errors.append(("city", "an address needs at least one field", None))
    if errors:
        raise validation_error(errors)
    return address


@router.route("POST", CUSTOMER + r"/address")
def create_address(sb: SandboxHost, request: Request, customer_id: str) -> Response:
    customer = lookup(sb.store.customer, customer_id)
    address = _address_body(request)
    run(lambda: changes.set_address(sb.store, customer.id, address))
    return created(f"{sb.api_base_url}/customers/{customer.id}/address", customer.id)


@router.route("PUT", CUSTOMER + r"/address")
def update_address(sb: SandboxHost, request: Request, customer_id: str) -> Response:
    customer = lookup(sb.store.customer, customer_id)
    address = _address_body(request)
    run(lambda: changes.set_address(sb.store, customer.id, address))
    return Response.empty(204)


@router.route("DELETE", CUSTOMER + r"/address")
def delete_address(sb: SandboxHost, request: Request, customer_id: str) -> Response:
    customer = lookup(sb.store.customer, customer_id)
    run(lambda: changes.set_address(sb.store, customer.id, None))
    return Response.empty(204)
