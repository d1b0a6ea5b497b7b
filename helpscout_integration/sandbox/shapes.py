"""Help Scout-shaped JSON for the sandbox's objects (Mailbox API 2.0 and Docs API v1).

Field names follow Help Scout's wire format exactly: camelCase, ISO 8601 UTC timestamps
with a `Z`, `_embedded` and `_links`. Pure functions of the store's records; they never
change the store.
"""

from __future__ import annotations

import html
import re
from typing import Any

from . import attachment_files, scheduling
from .clock import iso
from .records import (
    Conversation,
    Customer,
    DocsArticle,
    DocsCategory,
    DocsCollection,
    Folder,
    Mailbox,
    PropertyDefinition,
    Rating,
    Tag,
    Thread,
    User,
    Webhook,
)
from .store import Store


def _link(href: str) -> dict[str, str]:
    return {"href": href}


def person(store: Store, kind: str, person_id: int | None) -> dict[str, Any] | None:
    """A person reference as conversations and threads embed it."""
    if not person_id:
        return None
    if kind == "user":
        team = store.teams.get(person_id)
        if team is not None:  # a team is referred to with the person shape, type "team"
            return {"id": team.id, "type": "team", "first": team.name, "last": "", "email": ""}
        user = store.users.get(person_id)
        if user is None:
            return {"id": person_id, "type": "user"}
        return {
            "id": user.id,
            "type": "user",
            "first": user.first_name,
            "last": user.last_name,
            "email": user.email,
        }
    customer = store.customers.get(person_id)
    if customer is None:
        return {"id": person_id, "type": "customer"}
    return {
        "id": customer.id,
        "type": "customer",
        "first": customer.first_name,
        "last": customer.last_name,
        "email": customer.email,
    }


def mailbox(item: Mailbox, base: str) -> dict[str, Any]:
    return {
        "id": item.id,
        "name": item.name,
        "slug": item.slug,
        "email": item.email,
        "createdAt": iso(item.created_at),
        "updatedAt": iso(item.updated_at),
        "_links": {
            "self": _link(f"{base}/mailboxes/{item.id}"),
            "folders": _link(f"{base}/mailboxes/{item.id}/folders"),
            "fields": _link(f"{base}/mailboxes/{item.id}/fields"),
        },
    }


def folder(item: Folder, store: Store) -> dict[str, Any]:
    conversations = [c for c in store.conversations.values() if c.mailbox_id == item.mailbox_id]
    wanted = {
        "open": lambda c: c.assignee_id is None and c.status in ("active", "pending"),
        "assigned": lambda c: c.assignee_id is not None and c.status in ("active", "pending"),
        "closed": lambda c: c.status == "closed",
        "spam": lambda c: c.status == "spam",
    }.get(item.type, lambda c: False)
    total = [c for c in conversations if wanted(c)]
    return {
        "id": item.id,
        "name": item.name,
        "type": item.type,
        "userId": item.user_id,
        "totalCount": len(total),
        "activeCount": sum(1 for c in total if c.status == "active"),
        "updatedAt": iso(max((c.modified_at for c in total), default=None)),
    }


def custom_field(item, store: Store) -> dict[str, Any]:
    result = {
        "id": item.id,
        "name": item.name,
        "type": item.type,
        "order": 1,
        "required": False,
    }
    if item.type == "dropdown":
        result["options"] = [
            {"id": option_id, "order": n, "label": label}
            for n, (option_id, label) in enumerate(item.options, start=1)
        ]
    return result


def user(item: User, base: str) -> dict[str, Any]:
    return {
        "id": item.id,
        "firstName": item.first_name,
        "lastName": item.last_name,
        "email": item.email,
        "role": item.role,
        "timezone": item.timezone,
        "photoUrl": "",
        "type": "user",
        "mention": item.first_name.lower(),
        "initials": (item.first_name[:1] + item.last_name[:1]).upper(),
        "jobTitle": item.job_title,
        "phone": "",
        "alternateEmails": [],
        "createdAt": iso(item.created_at),
        "updatedAt": iso(item.updated_at),
        "_links": {"self": _link(f"{base}/users/{item.id}")},
    }


def tag(item: Tag, base: str, store: Store | None = None) -> dict[str, Any]:
    result = {
        "id": item.id,
        "slug": item.slug,
        "name": item.name,
        "color": item.color,
        "createdAt": iso(item.created_at),
        "updatedAt": iso(item.updated_at),
        "ticketCount": store.ticket_count(item) if store is not None else 0,
        "_links": {"self": _link(f"{base}/tags/{item.id}")},
    }
    return result


def property_definition(item: PropertyDefinition) -> dict[str, Any]:
    result: dict[str, Any] = {"type": item.type, "slug": item.slug, "name": item.name}
    if item.type == "dropdown":
        result["options"] = [{"id": str(i), "label": label} for i, label in item.options]
    return result


def _property_text(definition: PropertyDefinition | None, value: Any) -> str:
    if definition is not None and definition.type == "dropdown":
        for option_id, label in definition.options:
            if str(option_id) == str(value):
                return label
    return str(value)


def customer(item: Customer, base: str, store: Store) -> dict[str, Any]:
    properties = []
    for slug, value in item.properties.items():
        definition = store.property_definitions.get(slug)
        properties.append(
            {
                "type": definition.type if definition else "text",
                "slug": slug,
                "name": definition.name if definition else slug,
                "value": value,
                "text": _property_text(definition, value),
            }
        )
    return {
        "id": item.id,
        "firstName": item.first_name,
        "lastName": item.last_name,
        "gender": item.gender,
        "jobTitle": item.job_title,
        "location": item.location,
        "organization": item.organization,
        "organizationId": item.organization_id,
        "photoUrl": item.photo_url,
        "photoType": "unknown",
        "background": item.background,
        "age": item.age,
        "createdAt": iso(item.created_at),
        "updatedAt": iso(item.updated_at),
        "draft": False,
        "_embedded": {
            "emails": [{"id": i, "value": v, "type": t} for i, v, t in item.emails],
            "phones": [{"id": i, "value": v, "type": t} for i, v, t in item.phones],
            "chats": [{"id": i, "value": v, "type": t} for i, v, t in item.chats],
            "social_profiles": [
                {"id": i, "value": v, "type": t} for i, v, t in item.social_profiles
            ],
            "websites": [{"id": i, "value": v} for i, v, _t in item.websites],
            "address": dict(item.address or {}),
            "properties": properties,
        },
        # Every sub-resource, as Help Scout links them (SDK tests/Payloads/
        # CustomerPayloads.php); the key says `social-profiles`, `_embedded` `social_profiles`.
        "_links": {
            name: _link(f"{base}/customers/{item.id}/{name}")
            for name in ("address", "chats", "emails", "phones", "social-profiles", "websites")
        }
        | {"self": _link(f"{base}/customers/{item.id}")},
    }


_THREAD_SOURCE_VIA = {"customer": "customer"}


def _person_cached(store: Store, kind: str, person_id: int | None, people: dict | None):
    if people is None:
        return person(store, kind, person_id)
    key = (kind, person_id)
    if key not in people:
        people[key] = person(store, kind, person_id)
    found = people[key]
    return dict(found) if found is not None else None


def thread(
    item: Thread,
    conversation: Conversation,
    store: Store,
    base: str,
    people: dict | None = None,
) -> dict[str, Any]:
    """A thread; `people` caches person references across the threads of one page."""
    created_by = _person_cached(store, *item.created_by, people) or {
        "id": 0,
        "type": item.created_by[0],
    }
    customer_ref = _person_cached(store, "customer", item.customer_id, people)
    if customer_ref is not None:
        customer_ref.pop("type", None)
    assigned = _person_cached(store, "user", item.assigned_to, people)
    result: dict[str, Any] = {
        "id": item.id,
        "type": item.type,
        "status": item.status,
        "state": scheduling.thread_state(store, item.id),
        "action": {
            "type": item.action or "default",
            "text": item.action_text,
            "associatedEntities": dict(item.action_entities),
        },
        "body": item.body,
        "source": {
            "type": conversation.source_type or conversation.type,
            "via": item.created_by[0],
        },
        "customer": customer_ref,
        "createdBy": created_by,
        "assignedTo": ({k: v for k, v in assigned.items() if k != "type"} if assigned else None),
        "savedReplyId": 0,
        "to": [customer_ref["email"]] if item.type == "message" and customer_ref else [],
        "cc": list(item.cc),
        "bcc": list(item.bcc),
        "createdAt": iso(item.created_at),
        "openedAt": None,
        "_embedded": {"attachments": attachment_files.shaped_for_thread(store, item.id, base)},
        "_links": {
            "createdByCustomer" if item.created_by[0] == "customer" else "createdByUser": _link(
                f"{base}/{'customers' if item.created_by[0] == 'customer' else 'users'}/"
                f"{item.created_by[1]}"
            ),
        },
    }
    scheduled = scheduling.thread_scheduled(store, item.id)
    if scheduled is not None:
        result["scheduled"] = scheduled
    return result


# How much of a chat thread's body a list page with `embed=threads` keeps (Help Scout
# truncates them there "by design" without saying where: a guess).
CHAT_EMBED_LIMIT = 100
CHAT_THREAD_TYPES = frozenset({"chat", "beaconchat"})


def truncate_chat_threads(shaped: dict[str, Any]) -> None:
    """Cut chat threads' bodies as List Conversations does under `embed=threads` (Get
    Conversation and List Threads send them whole)."""
    for item in shaped.get("_embedded", {}).get("threads", ()):
        body = item.get("body")
        if item.get("type") in CHAT_THREAD_TYPES and body and len(body) > CHAT_EMBED_LIMIT:
            item["body"] = body[:CHAT_EMBED_LIMIT]


def conversation(
    item: Conversation, store: Store, base: str, embed_threads: bool = False
) -> dict[str, Any]:
    primary = person(store, "customer", item.customer_id)
    customer_record = store.customers.get(item.customer_id)
    if primary is not None and customer_record is not None:
        primary["photoUrl"] = customer_record.photo_url
    tags = [
        {"id": t.id, "color": t.color, "tag": t.name}
        for t in (store.tags.get(tag_id) for tag_id in item.tag_ids)
        if t is not None
    ]
    fields_by_id = {f.id: f for f in store.custom_fields.get(item.mailbox_id, [])}
    result: dict[str, Any] = {
        "id": item.id,
        "number": item.number,
        "threads": item.thread_count,
        "type": item.type,
        "folderId": _folder_id(item, store),
        "status": item.status,
        "state": "published",
        "subject": item.subject,
        "preview": item.preview,
        "mailboxId": item.mailbox_id,
        "createdBy": person(store, *item.created_by) or {"id": 0, "type": item.created_by[0]},
        "createdAt": iso(item.created_at),
        "closedBy": item.closed_by or 0,
        "closedAt": iso(item.closed_at),
        "userUpdatedAt": iso(
            item.user_updated_at if item.user_updated_at is not None else item.modified_at
        ),
        "customerWaitingSince": {
            "time": iso(
                item.customer_waiting_since
                if item.customer_waiting_since is not None
                else item.modified_at
            ),
            "friendly": "",
            "latestReplyFrom": item.latest_reply_from,
        },
        "source": {"type": item.source_type or item.type, "via": item.created_by[0]},
        "tags": tags,
        "cc": [],
        "bcc": [],
        "primaryCustomer": primary,
        "customFields": [
            {
                "id": field_id,
                "name": fields_by_id[field_id].name if field_id in fields_by_id else "",
                "value": value,
                "text": fields_by_id[field_id].text_of(value)
                if field_id in fields_by_id
                else value,
            }
            for field_id, value in item.custom_fields.items()
        ],
        "_links": {
            "self": _link(f"{base}/conversations/{item.id}"),
            "mailbox": _link(f"{base}/mailboxes/{item.mailbox_id}"),
            "primaryCustomer": _link(f"{base}/customers/{item.customer_id}"),
            "threads": _link(f"{base}/conversations/{item.id}/threads"),
        },
    }
    if item.assignee_id:
        result["assignee"] = person(store, "user", item.assignee_id)
    scheduling.decorate_conversation(result, store, item.id)
    # Help Scout sends an open (or never closed) conversation `closedBy: 0` and a sentinel
    # closer with id 0 and email "unknown": not a person.
    result["closedByUser"] = (
        person(store, "user", item.closed_by) if item.closed_by else None
    ) or {
        "id": 0,
        "type": "user",
        "first": "",
        "last": "",
        "email": "unknown",
    }
    if embed_threads:
        threads = store.threads_of(item)
        # Help Scout lists threads newest first.
        people: dict = {}
        result["_embedded"] = {
            "threads": [thread(t, item, store, base, people) for t in reversed(threads)]
        }
    return result


def _folder_id(item: Conversation, store: Store) -> int:
    folders = store.folders.get(item.mailbox_id) or []
    wanted = {"closed": "closed", "spam": "spam"}.get(
        item.status, "assigned" if item.assignee_id else "open"
    )
    for candidate in folders:
        if candidate.type == wanted:
            return candidate.id
    return 0


def webhook(item: Webhook, base: str) -> dict[str, Any]:
    # The secret is write-only: never echoed back.
    return {
        "id": item.id,
        "url": item.url,
        "state": item.state,
        "events": list(item.events or []),
        "notification": item.notification,
        "payloadVersion": "V2",
        "label": item.label,
        "mailboxIds": list(item.mailbox_ids),
        "_links": {"self": _link(f"{base}/webhooks/{item.id}")},
    }


# -- Docs API v1 ---------------------------------------------------------------------------


def docs_collection(item: DocsCollection, store: Store) -> dict[str, Any]:
    return {
        "id": item.id,
        "siteId": item.site_id,
        "number": item.number,
        "slug": item.slug,
        "visibility": item.visibility,
        "order": item.order,
        "name": item.name,
        "description": "",
        "publicUrl": f"https://demo.helpscoutdocs.com/collection/{item.number}-{item.slug}",
        "articleCount": sum(1 for a in store.docs_articles.values() if a.collection_id == item.id),
        "publishedArticleCount": sum(
            1
            for a in store.docs_articles.values()
            if a.collection_id == item.id and a.status == "published"
        ),
        "createdBy": 0,
        "updatedBy": 0,
        "createdAt": iso(item.created_at),
        "updatedAt": iso(item.updated_at),
    }


def docs_category(item: DocsCategory, store: Store) -> dict[str, Any]:
    return {
        "id": item.id,
        "number": item.number,
        "slug": item.slug,
        "visibility": "public",
        "collectionId": item.collection_id,
        "order": item.order,
        "defaultSort": "popularity",
        "name": item.name,
        "description": "",
        "articleCount": sum(1 for a in store.docs_articles.values() if item.id in a.category_ids),
        "publishedArticleCount": sum(
            1
            for a in store.docs_articles.values()
            if item.id in a.category_ids and a.status == "published"
        ),
        "publicUrl": f"https://demo.helpscoutdocs.com/category/{item.number}-{item.slug}",
        "createdBy": 0,
        "updatedBy": 0,
        "createdAt": iso(item.created_at),
        "updatedAt": iso(item.updated_at),
    }


def docs_article_ref(item: DocsArticle) -> dict[str, Any]:
    """An article as lists show it (no text)."""
    return {
        "id": item.id,
        "number": item.number,
        "collectionId": item.collection_id,
        "status": item.status,
        "hasDraft": False,
        "name": item.name,
        "publicUrl": item.public_url,
        "popularity": item.popularity,
        "viewCount": item.view_count,
        "createdBy": 0,
        "updatedBy": 0,
        "createdAt": iso(item.created_at),
        "updatedAt": iso(item.updated_at),
        "lastPublishedAt": iso(item.updated_at) if item.status == "published" else None,
    }


def docs_article(item: DocsArticle) -> dict[str, Any]:
    result = docs_article_ref(item)
    result.update(
        {
            "slug": item.slug,
            "text": item.text,
            "categories": list(item.category_ids),
            "related": list(item.related),
            "keywords": list(item.keywords),
        }
    )
    return result


# Docs search results preview about 160 characters of the article's text.
DOCS_PREVIEW_CHARS = 160
# `docsUrl` of a search result: the article's page in Help Scout's Docs admin, relative.
DOCS_ADMIN_PATH = "/docs/{collection}/article/{id}"


def docs_search_result(item: DocsArticle) -> dict[str, Any]:
    """A search result: a shorter object than an article, with `categoryIds` (not
    `categories`), a ~160-character `preview` and the admin `docsUrl`."""
    # A tag ends a word: "<h2>Data export</h2><p>Could you" previews as two sentences.
    plain = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", item.text)).split())
    return {
        "id": item.id,
        "collectionId": item.collection_id,
        "categoryIds": list(item.category_ids),
        "slug": item.slug,
        "name": item.name,
        "preview": plain[:DOCS_PREVIEW_CHARS],
        "url": item.public_url,
        "docsUrl": DOCS_ADMIN_PATH.format(collection=item.collection_id, id=item.id),
        "number": item.number,
        "status": item.status,
        "visibility": "public",
    }


def rating(item: Rating, store: Store, base: str) -> dict[str, Any]:
    """A v2 satisfaction rating as GET /ratings/{id} (and the `satisfaction.ratings`
    webhook) sends it: top-level persons with `firstName`/`lastName`, the conversation's
    `number` as `conversationNumber`, `_links`, and `createdAt` without a zone (UTC)."""
    customer = store.customers.get(item.customer_id)
    user = store.users.get(item.user_id) if item.user_id else None
    conversation = store.conversations.get(item.conversation_id)
    created = iso(item.created_at)
    links = {
        "self": _link(f"{base}/ratings/{item.id}"),
        "conversation": _link(f"{base}/conversations/{item.conversation_id}"),
        "mailbox": _link(f"{base}/mailboxes/{item.mailbox_id}"),
        "customer": _link(f"{base}/customers/{item.customer_id}"),
    }
    if item.user_id:
        links["user"] = _link(f"{base}/users/{item.user_id}")
    return {
        "id": item.id,
        "customer": {
            "id": item.customer_id,
            "email": customer.email if customer else "",
            "firstName": customer.first_name if customer else "",
            "lastName": customer.last_name if customer else "",
            "photoUrl": customer.photo_url if customer else "",
        },
        "threadId": item.thread_id,
        "conversationId": item.conversation_id,
        "conversationNumber": conversation.number if conversation else None,
        "mailboxId": item.mailbox_id,
        "rating": item.rating,
        "user": (
            {
                "id": user.id,
                "email": user.email,
                "firstName": user.first_name,
                "lastName": user.last_name,
            }
            if user
            else None
        ),
        "comments": item.comments,
        "createdAt": created[:-1] if created else None,
        "modifiedAt": created[:-1] if created else None,
        "_links": links,
    }
