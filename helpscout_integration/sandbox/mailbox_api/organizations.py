"""Organizations routes: CRUD with Help Scout's full-replace PUT, an organization's
customers and conversations, and organization property definitions and values.

Rules live in sandbox/organizations.py; this module turns HTTP into those calls.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .. import shapes
from ..organizations import OrganizationBook
from ..server import Request, Response
from .base import body_object, created, lookup, paged, router, run
from .conversations import render_conversation

if TYPE_CHECKING:
    from ..host import SandboxHost


def _flag(request: Request, name: str) -> bool:
    return (request.param(name) or "").lower() == "true"


@router.route("GET", r"/organizations")
def list_organizations(sb: SandboxHost, request: Request) -> Response:
    book = OrganizationBook(sb.store)
    with sb.store.lock:
        items = run(lambda: book.sorted(request.param("sort")))
        return paged(sb, request, "organizations", items, lambda o: book.shape(o, sb.api_base_url))


@router.route("POST", r"/organizations")
def create_organization(sb: SandboxHost, request: Request) -> Response:
    org = run(lambda: OrganizationBook(sb.store).create(body_object(request)))
    location = (
        f"{sb.api_base_url}/organizations/{org.id}?includeCounts=false&includeProperties=false"
    )
    return created(location, org.id)


# Registered before /organizations/{id}: `properties` is not an id.
@router.route("GET", r"/organizations/properties")
def list_properties(sb: SandboxHost, request: Request) -> Response:
    book = OrganizationBook(sb.store)
    with sb.store.lock:
        items = list(book.definitions.values())
        return paged(sb, request, "organization-properties", items, book.shape_definition)


@router.route("POST", r"/organizations/properties")
def create_property(sb: SandboxHost, request: Request) -> Response:
    definition = run(lambda: OrganizationBook(sb.store).define(body_object(request)))
    return Response.empty(
        201, {"Location": f"{sb.api_base_url}/organizations/properties/{definition.slug}"}
    )


@router.route("PUT", r"/organizations/properties/(?P<slug>[^/]+)")
def update_property(sb: SandboxHost, request: Request, slug: str) -> Response:
    run(lambda: OrganizationBook(sb.store).redefine(slug, body_object(request)))
    return Response.empty(204)


@router.route("DELETE", r"/organizations/properties/(?P<slug>[^/]+)")
def delete_property(sb: SandboxHost, request: Request, slug: str) -> Response:
    run(lambda: OrganizationBook(sb.store).undefine(slug))
    return Response.empty(204)


@router.route("GET", r"/organizations/(?P<organization_id>\d+)")
def get_organization(sb: SandboxHost, request: Request, organization_id: str) -> Response:
    book = OrganizationBook(sb.store)
    with sb.store.lock:
        org = lookup(book.get, organization_id)
        return Response.json(
            book.shape(
                org,
                sb.api_base_url,
                counts=_flag(request, "includeCounts"),
                properties=_flag(request, "includeProperties"),
            )
        )


@router.route("PUT", r"/organizations/(?P<organization_id>\d+)")
def replace_organization(sb: SandboxHost, request: Request, organization_id: str) -> Response:
    book = OrganizationBook(sb.store)
    org = lookup(book.get, organization_id)
    run(lambda: book.replace(org.id, body_object(request)))
    return Response.empty(204)


@router.route("DELETE", r"/organizations/(?P<organization_id>\d+)")
def delete_organization(sb: SandboxHost, request: Request, organization_id: str) -> Response:
    book = OrganizationBook(sb.store)
    org = lookup(book.get, organization_id)
    run(lambda: book.delete(org.id))
    return Response.empty(204)


@router.route("GET", r"/organizations/(?P<organization_id>\d+)/customers")
def list_organization_customers(
    sb: SandboxHost, request: Request, organization_id: str
) -> Response:
    book = OrganizationBook(sb.store)
    with sb.store.lock:
        org = lookup(book.get, organization_id)
        items = book.customers_of(org.id)
        return paged(
            sb,
            request,
            "customers",
            items,
            lambda c: shapes.customer(c, sb.api_base_url, sb.store),
        )


@router.route("GET", r"/organizations/(?P<organization_id>\d+)/conversations")
def list_organization_conversations(
    sb: SandboxHost, request: Request, organization_id: str
) -> Response:
    book = OrganizationBook(sb.store)
    with sb.store.lock:
        org = lookup(book.get, organization_id)
        ids = book.conversation_ids_of(org.id)
        return paged(sb, request, "conversations", ids, lambda i: render_conversation(sb, i))


@router.route("PUT", r"/organizations/(?P<organization_id>\d+)/properties/(?P<slug>[^/]+)")
def set_property_value(
    sb: SandboxHost, request: Request, organization_id: str, slug: str
) -> Response:
    book = OrganizationBook(sb.store)
    org = lookup(book.get, organization_id)
    body = body_object(request)
    run(lambda: book.set_value(org.id, slug, body.get("value")))
    return Response.empty(204)


@router.route("DELETE", r"/organizations/(?P<organization_id>\d+)/properties/(?P<slug>[^/]+)")
def remove_property_value(
    sb: SandboxHost, request: Request, organization_id: str, slug: str
) -> Response:
    book = OrganizationBook(sb.store)
    org = lookup(book.get, organization_id)
    run(lambda: book.remove_value(org.id, slug))
    return Response.empty(204)
