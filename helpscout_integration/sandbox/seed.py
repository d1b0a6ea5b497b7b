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
from bisect import bisect
from dataclasses import dataclass

from . import toolkit_seed
from .docs_content import ARTICLES, article_html
from .records import Conversation, Thread
from .seed_organizations import seed_organizations
from .seeded import STATUS_CODES, SeededColumns
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


@dataclass(frozen=True)
class StatusMix:
    """Status weights for conversations created in the seed's last `recent_days`, and for
    the older ones (a real account's open work is recent; its history is closed)."""

    recent_days: float
    recent: tuple[tuple[str, int], ...]
    older: tuple[tuple[str, int], ...]


#: The demo team: a busy inbox, the same mix at every age (as it always was).
DEMO_MIX = StatusMix(0, STATUS_WEIGHTS, STATUS_WEIGHTS)
#: `large:N`, shaped like a real account for issue 21's first-sync benchmark: about 8% open
#: (active or pending), nearly all of it created in the last six weeks: 62% of those six
#: weeks (11.5% of the year) and 1% of the rest, 0.115 * 0.62 + 0.885 * 0.01 = 8.0%.
LARGE_MIX = StatusMix(
    42,
    (("active", 42), ("pending", 20), ("closed", 35), ("spam", 3)),
    (("active", 1), ("pending", 1), ("closed", 188), ("spam", 10)),
)


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
        toolkit_seed.populate(store)
        return
    if seed.startswith("large:"):
        try:
            count = int(seed.split(":", 1)[1])
        except ValueError:
            raise ValueError(f"bad seed {seed!r}: use large:N with a whole number N") from None
        if count < 0:
            raise ValueError("large:N needs N >= 0")
        customers = max(200, min(count // 20, 20_000))
        _populate(store, seed, conversations=count, customers=customers, base=base, mix=LARGE_MIX)
        return
    raise ValueError(f"unknown seed {seed!r}: use 'demo' or 'large:N'")


def _populate(
    store: Store,
    name: str,
    *,
    conversations: int,
    customers: int,
    base: float = BASE_TIME,
    mix: StatusMix = DEMO_MIX,
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
        first_id = store.next_id("conversation")
        block = SeededColumns(
            name=name,
            first_id=first_id,
            first_number=1,
            mailboxes=tuple(mailboxes),
            subjects=SUBJECTS,
            previews=CUSTOMER_LINES,
        )
        _draw_conversations(rng, block, conversations, base, users, customer_ids, tags, mix)
        seed_organizations(store, users, customer_ids, block, base)
        store.add_seeded(block)
        store.reserve_ids("conversation", first_id + conversations)
        store.reserve_numbers(conversations + 1)
        store.thread_generator = _generate_threads
        # Later writes are dated after everything seeded: a year's margin for the fixed 2024
        # seed, none needed for one that ends now (its end is the present).
        floor = base + 2 * YEAR if base == BASE_TIME else base + YEAR + LATEST_MODIFICATION
        store._last_modified = max(store._last_modified, floor)
        _populate_docs(store, rng, base)
        store.version += 1


def _draw_conversations(
    rng: random.Random,
    block: SeededColumns,
    count: int,
    base: float,
    users: list[int],
    customer_ids: list[int],
    tags: list[int],
    mix: StatusMix,
) -> None:
    """Append `count` conversations to `block`'s columns.

    The draws are those a plain loop of `rng.random()`, `rng.choices(...)`, `rng.choice`,
    `rng.randint` and `rng.sample` made (the seed's data must not change with how it is
    stored), written out with `getrandbits` as CPython's `random` module implements them:
    the method calls were most of the time of a million-conversation seed.
    tests/sandbox/test_seeded.py checks the columns against that plain loop.
    """
    random_, getrandbits = rng.random, rng.getrandbits
    # Random._randbelow_with_getrandbits(n) is `r = getrandbits(n.bit_length())` until
    # r < n; written out below per draw (a call per draw was a third of the time).

    def cumulative(weights: tuple[tuple[str, int], ...]) -> tuple[list[int], float, list[int]]:
        cum = list(itertools.accumulate(w for _s, w in weights))
        return cum, cum[-1] + 0.0, [STATUS_CODES.index(s) for s, _w in weights]

    recent_cum, recent_total, recent_codes = cumulative(mix.recent)
    older_cum, older_total, older_codes = cumulative(mix.older)
    recent_from = 1.0 - mix.recent_days * 86_400.0 / YEAR  # of rng.random() (created)
    hi = len(mix.recent) - 1
    if len(mix.older) != len(mix.recent) or len(tags) > 21:
        raise ValueError("a status mix needs as many weights at every age; at most 21 tags")
    n_users, n_customers, n_mailboxes = len(users), len(customer_ids), len(block.mailboxes)
    n_subjects, n_previews, n_tags = len(block.subjects), len(block.previews), len(tags)
    k_users, k_customers, k_mailboxes = (
        n.bit_length() for n in (n_users, n_customers, n_mailboxes)
    )
    k_subjects, k_previews = n_subjects.bit_length(), n_previews.bit_length()
    tag_sets: dict[tuple[int, ...], int] = {t: n for n, t in enumerate(block.tag_sets)}
    created_col, modified_col = block.created.append, block.modified.append
    customer_col, assignee_col = block.customer.append, block.assignee.append
    tags_col, status_col = block.tags.append, block.status.append
    mailbox_col, subject_col = block.mailbox.append, block.subject.append
    preview_col, threads_col = block.preview.append, block.thread_count.append
    for _n in range(count):
        r = random_()
        created = base + r * YEAR
        if r >= recent_from:
            status_col(recent_codes[bisect(recent_cum, random_() * recent_total, 0, hi)])
        else:
            status_col(older_codes[bisect(older_cum, random_() * older_total, 0, hi)])
        if random_() < 0.7:  # choice(users) if random() < 0.7 else None
            r = getrandbits(k_users)
            while r >= n_users:
                r = getrandbits(k_users)
            assignee_col(users[r])
        else:
            assignee_col(0)
        threads = getrandbits(4)  # randint(1, 12): 1 + below(12)
        while threads >= 12:
            threads = getrandbits(4)
        threads += 1
        r = getrandbits(k_customers)  # choice(customer_ids)
        while r >= n_customers:
            r = getrandbits(k_customers)
        customer_col(customer_ids[r])
        r = getrandbits(k_mailboxes)  # choice(mailboxes)
        while r >= n_mailboxes:
            r = getrandbits(k_mailboxes)
        mailbox_col(r)
        r = getrandbits(k_subjects)  # choice(SUBJECTS)
        while r >= n_subjects:
            r = getrandbits(k_subjects)
        subject_col(r)
        created_col(created)
        modified_col(created + threads * 3600.0 + random_() * 3600.0)
        # sample(tags, randint(0, 3)): CPython's pool method for small populations.
        size = getrandbits(3)
        while size >= 4:
            size = getrandbits(3)
        if size:
            pool = list(tags)
            picked = []
            for i in range(size):
                left = n_tags - i
                k = left.bit_length()
                j = getrandbits(k)
                while j >= left:
                    j = getrandbits(k)
                picked.append(pool[j])
                pool[j] = pool[left - 1]
            key = tuple(picked)
            index = tag_sets.get(key)
            if index is None:
                index = tag_sets[key] = len(block.tag_sets)
                block.tag_sets.append(key)
        else:
            index = tag_sets.get(())
            if index is None:
                index = tag_sets[()] = len(block.tag_sets)
                block.tag_sets.append(())
        tags_col(index)
        threads_col(threads)
        r = getrandbits(k_previews)  # choice(CUSTOMER_LINES)
        while r >= n_previews:
            r = getrandbits(k_previews)
        preview_col(r)


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
                article = DocsArticle(
                    id=_hex_id(rng),
                    number=article_number,
                    collection_id=collection.id,
                    category_ids=[category.id],
                    slug=slug,
                    status="notpublished" if article_number % 10 == 0 else "published",
                    name=title,
                    text="",  # written below, once every article's address is known
                    public_url=f"https://demo.helpscoutdocs.com/article/{article_number}-{slug}",
                    popularity=round(rng.random() * 10, 2),
                    view_count=rng.randint(0, 5000),
                    created_at=created + article_number * 86_400,
                    updated_at=created + article_number * 86_400 * 2,
                    keywords=slug.split("-"),
                )
                store.docs_articles[article.id] = article
    by_title = {a.name: a for a in store.docs_articles.values()}
    links = {title: a.public_url for title, a in by_title.items()}
    for article in by_title.values():
        article.text = article_html(article.name, links)
        article.related = [by_title[name].id for name in ARTICLES[article.name].related]
