"""Seed data: `demo` (a believable support team) and `large:N` (N conversations, fast).

Deterministic: everything comes from `random.Random(name)` and fixed base dates, so two
sandboxes seeded alike serve the same ids, texts and timestamps. Seeded conversations keep
no thread objects: their threads are generated again from the conversation's seed key
whenever asked (so 100,000 conversations fit in memory), and materialised the first time
the conversation changes. Seeding never emits webhooks.
"""

from __future__ import annotations

import itertools
import random

from .records import Conversation, Thread
from .store import SEEDED_THREADS_PER_ID, Store, slugify

BASE_TIME = 1_704_067_200.0  # 2024-01-01T00:00:00Z
YEAR = 365 * 86_400.0

FIRST_NAMES = (
    "Ada Alan Grace Linus Margaret Ken Barbara Dennis Frances Tim Radia Vint Hedy Edsger "
    "Katherine Donald Sophie Guido Anita Niklaus Joan Bjarne Mary Jean Lois Karen Rosa"
).split()
LAST_NAMES = (
    "Lovelace Turing Hopper Torvalds Hamilton Thompson Liskov Ritchie Allen Berners-Lee "
    "Perlman Cerf Lamarr Dijkstra Johnson Knuth Wilson Rossum Borg Wirth Clarke Stroustrup "
    "Keller Sammet Haibt Jones Parks"
).split()
DOMAINS = ("example.com", "example.org", "acme.test", "initech.test", "globex.test")
TAGS = (
    ("billing", "#e3a13f"),
    ("bug", "#d6394b"),
    ("feature-request", "#3f8ee3"),
    ("vip", "#9b59b6"),
    ("refund", "#f1c40f"),
    ("onboarding", "#2ecc71"),
    ("login", "#1abc9c"),
    ("api", "#34495e"),
    ("mobile", "#e67e22"),
    ("urgent", "#c0392b"),
    ("feedback", "#7f8c8d"),
    ("integration", "#16a085"),
)
SUBJECTS = (
    "Cannot log in to my account",
    "Invoice shows the wrong amount",
    "How do I export my data?",
    "Feature request: dark mode",
    "App crashes when I upload a photo",
    "Refund for duplicate charge",
    "Password reset email never arrives",
    "Question about the API rate limit",
    "Upgrade to the annual plan",
    "Two-factor authentication lost phone",
    "Sync with the calendar is broken",
    "Team member cannot see shared files",
    "Where is my order?",
    "Cancel my subscription",
    "Webhook deliveries are failing",
)
CUSTOMER_LINES = (
    "Hi, I have been trying this all morning and it still does not work.",
    "Could you have a look? This blocks my whole team.",
    "Thanks for the quick answer, but the problem is back.",
    "I attached a screenshot of what I see.",
    "Is there any workaround in the meantime?",
    "That fixed it, thank you so much!",
)
AGENT_LINES = (
    "Thanks for reaching out! I have looked into your account.",
    "Could you tell me which browser and version you are using?",
    "I have applied a fix on our side; could you try again?",
    "I have passed this on to our engineers and will update you.",
    "Happy to help. Let me know if anything else comes up.",
)
NOTE_LINES = (
    "Customer is on the legacy plan, check before refunding.",
    "Escalated to engineering, see the linked issue.",
    "Second time this month: flag for account review.",
)
MAILBOXES = (
    ("Support", "support@example.com"),
    ("Billing", "billing@example.com"),
    ("Sales", "sales@example.com"),
)
USERS = (
    ("Ana", "Agent", "ana@example.com", "owner"),
    ("Ben", "Bauer", "ben@example.com", "admin"),
    ("Chloe", "Chen", "chloe@example.com", "user"),
    ("Dev", "Desai", "dev@example.com", "user"),
    ("Emma", "Evans", "emma@example.com", "user"),
)
STATUS_WEIGHTS = (("active", 30), ("pending", 15), ("closed", 50), ("spam", 5))


#: The latest a seeded conversation is modified, after its creation (12 threads an hour
#: apart plus up to an hour): `ends_at` subtracts it so nothing seeded lies in the future.
LATEST_MODIFICATION = 13 * 3600.0


def load(store: Store, seed: str | None, *, ends_at: float | None = None) -> None:
    """Fill `store` with the named seed: None, "demo", or "large:N".

    The seed spans a year from 2024-01-01; with `ends_at` (a Unix time, say now) the same
    data is moved in time so that its newest conversation is modified just before it (a
    demo whose date filters "this month" and "past 7 days" are not empty).
    """
    if not seed:
        return
    base = BASE_TIME if ends_at is None else ends_at - YEAR - LATEST_MODIFICATION
    if seed == "demo":
        _populate(store, "demo", conversations=2000, customers=200, base=base)
        return
    if seed.startswith("large:"):
        try:
            count = int(seed.split(":", 1)[1])
        except ValueError:
            raise ValueError(f"bad seed {seed!r}: use large:N with a whole number N") from None
        if count < 0:
            raise ValueError("large:N needs N >= 0")
        customers = max(200, min(count // 20, 20_000))
        _populate(store, seed, conversations=count, customers=customers, base=base)
        return
    raise ValueError(f"unknown seed {seed!r}: use 'demo' or 'large:N'")


def _populate(
    store: Store, name: str, *, conversations: int, customers: int, base: float = BASE_TIME
) -> None:
    rng = random.Random(name)  # noqa: S311 (test data, not security)
    with store.lock:
        mailboxes = []
        for mailbox_name, email in MAILBOXES:
            mailbox = store.add_mailbox(mailbox_name, email)
            mailbox.created_at = mailbox.updated_at = base - YEAR
            mailboxes.append(mailbox.id)
        users = []
        for first, last, email, role in USERS:
            user = store.add_user(first, last, email, role, "Europe/Paris")
            user.created_at = user.updated_at = base - YEAR
            users.append(user.id)
        tags = []
        saved_sink, store.on_event = store.on_event, None
        try:
            for tag_name, color in TAGS:
                tag = store.ensure_tag(tag_name, color)
                tag.created_at = tag.updated_at = base - YEAR
                tags.append(tag.id)
        finally:
            store.on_event = saved_sink
        store.add_property_definition("plan", "Plan", "dropdown", ["Free", "Basic", "Pro"])
        store.add_property_definition("seats", "Seats", "number")
        store.add_property_definition("signed-up", "Signed up", "date")
        store.add_property_definition("profile", "Profile URL", "url")
        store.add_property_definition("company-notes", "Company notes", "text")
        customer_ids = []
        for n in range(customers):
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            email = f"{first}.{slugify(last)}{n}@{rng.choice(DOMAINS)}".lower()
            created = base + rng.random() * YEAR / 2
            customer = store.add_customer(
                first,
                last,
                [email],
                announce=False,
                created_at=created,
                organization=rng.choice(("Acme", "Initech", "Globex", "Umbrella", "")),
            )
            customer_ids.append(customer.id)
        statuses = [s for s, _w in STATUS_WEIGHTS]
        # Cumulative once, not per call: `choices` draws exactly as it would from `weights`.
        cumulative = list(itertools.accumulate(w for _s, w in STATUS_WEIGHTS))
        first_id = store.next_id("conversation")
        for n in range(conversations):
            conversation_id = first_id + n
            created = base + rng.random() * YEAR
            status = rng.choices(statuses, cum_weights=cumulative)[0]
            assignee = rng.choice(users) if rng.random() < 0.7 else None
            count = rng.randint(1, 12)
            customer_id = rng.choice(customer_ids)
            conversation = Conversation(
                id=conversation_id,
                number=n + 1,
                mailbox_id=rng.choice(mailboxes),
                subject=rng.choice(SUBJECTS),
                status=status,
                customer_id=customer_id,
                created_at=created,
                modified_at=created + count * 3600.0 + rng.random() * 3600.0,
                assignee_id=assignee,
                tag_ids=rng.sample(tags, rng.randint(0, 3)),
                created_by=("customer", customer_id),
                thread_count=count,
                seed_key=f"{name}:{conversation_id}",
                preview=rng.choice(CUSTOMER_LINES),
            )
            if status == "closed":
                conversation.closed_at = conversation.modified_at
                conversation.closed_by = assignee or 0
            store.conversations[conversation_id] = conversation
        store.reserve_ids("conversation", first_id + conversations)
        store.reindex_conversations()
        store.reserve_numbers(conversations + 1)
        store.thread_generator = _generate_threads
        # Later writes are dated after everything seeded: a year's margin for the fixed 2024
        # seed, none needed for one that ends now (its end is the present).
        floor = base + 2 * YEAR if base == BASE_TIME else base + YEAR + LATEST_MODIFICATION
        store._last_modified = max(store._last_modified, floor)
        _populate_docs(store, rng, base)
        store.version += 1


def _generate_threads(store: Store, conversation: Conversation) -> list[Thread]:
    """The seeded threads of a conversation, oldest first; same input, same threads."""
    rng = random.Random(conversation.seed_key)  # noqa: S311 (test data, not security)
    count = conversation.thread_count
    span = conversation.modified_at - conversation.created_at
    agent = conversation.assignee_id or min(store.users, default=0)
    threads = []
    for n in range(count):
        if n == 0 or (n % 2 == 0 and rng.random() < 0.8):
            kind = "customer"
        elif rng.random() < 0.2:
            kind = "note"
        else:
            kind = "message"
        if kind == "customer":
            text, created_by = rng.choice(CUSTOMER_LINES), ("customer", conversation.customer_id)
        elif kind == "note":
            text, created_by = rng.choice(NOTE_LINES), ("user", agent)
        else:
            text, created_by = rng.choice(AGENT_LINES), ("user", agent)
        if n == count - 1:
            text = conversation.preview if kind != "note" else text
        created = conversation.created_at + (span * n / count if count > 1 else 0)
        threads.append(
            Thread(
                id=conversation.id * SEEDED_THREADS_PER_ID + n,
                type=kind,
                body=f"<p>{text}</p>",
                created_at=created,
                customer_id=conversation.customer_id,
                created_by=created_by,
                status=conversation.status,
                assigned_to=conversation.assignee_id,
            )
        )
    return threads


DOCS = {
    "Help Center": {
        "Getting started": (
            "Create your account",
            "Invite your team",
            "Set up your mailbox",
            "Import existing data",
            "Choose a plan",
            "Mobile apps",
            "Keyboard shortcuts",
        ),
        "Billing": (
            "Update your card",
            "Download invoices",
            "Change your plan",
            "Request a refund",
            "Taxes and VAT",
            "Cancel your subscription",
        ),
        "Troubleshooting": (
            "Reset your password",
            "Two-factor authentication",
            "Browser support",
            "Emails not arriving",
            "Sync problems",
            "Slow pages",
            "Error messages explained",
        ),
    },
    "Developers": {
        "API": (
            "Authentication",
            "Rate limits",
            "Pagination",
            "Webhooks",
            "Error codes",
            "SDKs and libraries",
            "Changelog",
        ),
        "Integrations": (
            "Slack",
            "Salesforce",
            "Zapier",
            "Calendar sync",
            "Single sign-on",
            "Data export",
            "Custom fields",
            "Audit log",
            "Sandbox accounts",
            "Status page",
            "Security overview",
            "Uptime and SLA",
            "Roadmap",
        ),
    },
}


def _hex_id(rng: random.Random) -> str:
    return f"{rng.getrandbits(96):024x}"


def _populate_docs(store: Store, rng: random.Random, base: float = BASE_TIME) -> None:
    from .records import DocsArticle, DocsCategory, DocsCollection, DocsSite

    site = DocsSite(_hex_id(rng), "demo", "Demo Help Center")
    store.docs_sites[site.id] = site
    article_number = category_number = 0
    for order, (collection_name, categories) in enumerate(DOCS.items(), start=1):
        created = base - YEAR / 2
        collection = DocsCollection(
            _hex_id(rng),
            site.id,
            order,
            slugify(collection_name),
            collection_name,
            "public",
            order,
            created,
            created,
        )
        store.docs_collections[collection.id] = collection
        for category_order, (category_name, titles) in enumerate(categories.items(), start=1):
            category_number += 1
            category = DocsCategory(
                _hex_id(rng),
                collection.id,
                category_number,
                slugify(category_name),
                category_name,
                category_order,
                created,
                created,
            )
            store.docs_categories[category.id] = category
            for title in titles:
                article_number += 1
                slug = slugify(title)
                body = " ".join(rng.sample(AGENT_LINES + CUSTOMER_LINES, 3))
                article = DocsArticle(
                    id=_hex_id(rng),
                    number=article_number,
                    collection_id=collection.id,
                    category_ids=[category.id],
                    slug=slug,
                    status="notpublished" if article_number % 10 == 0 else "published",
                    name=title,
                    text=f"<h2>{title}</h2><p>{body}</p>",
                    public_url=f"https://demo.helpscoutdocs.com/article/{article_number}-{slug}",
                    popularity=round(rng.random() * 10, 2),
                    view_count=rng.randint(0, 5000),
                    created_at=created + article_number * 86_400,
                    updated_at=created + article_number * 86_400 * 2,
                    keywords=slug.split("-"),
                )
                store.docs_articles[article.id] = article
