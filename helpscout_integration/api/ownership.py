"""Which mirrored conversations and threads belong to a product user.

A conversation is the user's when its customer is one the user owns: by default the
customer who has the user's email among all of the customer's emails, compared by the
identity rule (`emails.identity_key`: ASCII case-insensitive, nothing else folded, and an
address Help Scout might fold onto another is refused: it owns nothing and writes
nothing), or what `HELPSCOUT["END_USER_OWNERSHIP"]` says for products whose emails are
not verified.
The comparison holds in SQL as well as in Python: no `iexact`, whose Unicode folding
differs between databases. Only public threads (customer messages, agent replies,
phone, chat) are ever shown: notes and system line items never are. Reads the mirror
only; never calls Help Scout.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db import connections, router
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL

from ..conf import get_settings
from ..customer_properties.context import user_email
from ..emails import UnsafeAddress, email_keys, identity_key, identity_keys, refusal
from ..models import Conversation, Customer, Thread, ThreadType

PUBLIC_THREAD_TYPES = (
    ThreadType.CUSTOMER,
    ThreadType.MESSAGE,
    ThreadType.PHONE,
    ThreadType.CHAT,
    ThreadType.BEACON_CHAT,
)
# Help Scout holds a thread for review (`review`; its prose also says `underreview`) like
# a draft: not sent, so not for the customer's eyes.
HIDDEN_THREAD_STATES = ("draft", "hidden", "review", "underreview")
HIDDEN_CONVERSATION_STATES = ("draft", "deleted")


@dataclass(frozen=True)
class Ownership:
    """What a user owns: Help Scout customer ids and email keys (either may be empty)."""

    customer_ids: tuple[int, ...] = ()
    emails: tuple[str, ...] = ()  # as given, first-seen order; compare with identity_key

    @property
    def keys(self) -> set[str]:
        """Keys of the owned addresses the identity rule accepts (refused ones own nothing)."""
        return set(identity_keys(self.emails))


def default_ownership(user) -> list[str]:
    """The user's own email address: right only when the product verified it."""
    email = user_email(user)
    return [email] if email else []


def allauth_verified_emails(user) -> list[str]:
    """The user's addresses that django-allauth marked verified (primary first).

    For `HELPSCOUT["END_USER_OWNERSHIP"] =
    "helpscout_integration.api.ownership.allauth_verified_emails"`.
    """
    if not apps.is_installed("allauth.account"):
        raise ImproperlyConfigured(
            "HELPSCOUT['END_USER_OWNERSHIP'] names allauth_verified_emails, but "
            "django-allauth is not installed (add 'allauth.account' to INSTALLED_APPS)."
        )
    from allauth.account.models import EmailAddress

    rows = EmailAddress.objects.filter(user=user, verified=True).order_by("-primary", "pk")
    return [str(address) for address in rows.values_list("email", flat=True)]


def ownership_for(user) -> Ownership:
    """Call `END_USER_OWNERSHIP` (default: the user's email) and sort what it returns.

    Integers are customer ids, strings are emails; anything else is a configuration
    error, raised rather than guessed at, so a bug never widens what a user sees.
    """
    if user is None or not getattr(user, "is_authenticated", False):
        return Ownership()
    producer = get_settings().load_callable("END_USER_OWNERSHIP") or default_ownership
    owned = producer(user) or ()
    if isinstance(owned, str | int | bytes):
        raise ImproperlyConfigured(
            "HELPSCOUT['END_USER_OWNERSHIP'] must return a list of customer ids or emails, "
            f"not a single {type(owned).__name__}."
        )
    ids: list[int] = []
    emails: list[str] = []
    for item in owned:
        if isinstance(item, bool) or not isinstance(item, int | str):
            raise ImproperlyConfigured(
                "HELPSCOUT['END_USER_OWNERSHIP'] must return customer ids (int) or emails "
                f"(str), not {type(item).__name__}."
            )
        if isinstance(item, int):
            ids.append(item)
        elif item.strip() and item.strip() not in emails:
            emails.append(item.strip())
    return Ownership(customer_ids=tuple(ids), emails=tuple(emails))


def _any_email_is(keys: Iterable[str]) -> Q:
    """Rows whose `emails` JSON list holds one of `keys` exactly, in SQL, per backend."""
    keys = list(keys)
    connection = connections[router.db_for_read(Customer)]
    if connection.features.supports_json_field_contains:  # PostgreSQL, MySQL: JSON @>
        condition = Q()
        for key in keys:
            condition |= Q(emails__contains=[key])
        return condition
    if connection.vendor == "sqlite":  # JSON1: compare each list element as text
        table = connection.ops.quote_name(Customer._meta.db_table)
        marks = ", ".join(["%s"] * len(keys))
        sql = (
            f"SELECT {table}.id FROM {table}, json_each({table}.emails) "  # noqa: S608
            f"WHERE json_each.value IN ({marks})"
        )
        return Q(pk__in=RawSQL(sql, keys))  # noqa: S611 (keys are bound parameters)
    # Anything else: a text narrowing; the exact comparison in Python decides.
    condition = Q()
    for key in keys:
        condition |= Q(emails__icontains=key)
    return condition


def customer_ids_for(user) -> list[int]:
    """Ids of mirrored, not deleted customers the user owns (by id or by email key)."""
    owned = ownership_for(user)
    keys = owned.keys
    found: set[int] = set()
    if owned.customer_ids:
        found.update(
            Customer.objects.filter(pk__in=owned.customer_ids, is_deleted=False).values_list(
                "id", flat=True
            )
        )
    if keys:
        candidates = Customer.objects.filter(
            Q(email__in=keys) | _any_email_is(keys), is_deleted=False
        ).values_list("id", "email", "emails")
        # The mirror stores keys (payloads use email_key); compare keys again in Python so
        # a row written some other way can only ever match less, never more.
        found.update(
            pk
            for pk, primary, emails in candidates
            if identity_key(primary) in keys or keys.intersection(email_keys(emails or ()))
        )
    return sorted(found)


def customer_reference(user) -> dict:
    """Who the user writes to Help Scout as: `{"email": ...}` or `{"id": ...}`.

    The user's own email when they own it (always, by default); else the first email,
    then the first customer id, that `END_USER_OWNERSHIP` gives. Raises ValueError when
    the user owns nothing, so nobody writes as a customer they are not; UnsafeAddress (a
    ValueError naming the reason) when the only addresses owned are ones the identity
    rule refuses. The email goes out exactly as the user has it (stripped).
    """
    owned = ownership_for(user)
    email = user_email(user)
    if email and identity_key(email) in owned.keys:
        return {"email": email}
    for address in owned.emails:
        if identity_key(address):
            return {"email": address}
    if owned.customer_ids:
        return {"id": owned.customer_ids[0]}
    for address in owned.emails:
        refused = refusal(address)
        if refused is not None:
            raise UnsafeAddress(refused)
    raise ValueError("The user has no verified email address to write to Help Scout with.")


def owns_email(user, email: str) -> bool:
    """Whether `email` is one the user owns by `END_USER_OWNERSHIP` (the identity rule)."""
    key = identity_key(email)
    return bool(key) and key in ownership_for(user).keys


def conversations_for(user) -> QuerySet[Conversation]:
    """The user's conversations, newest activity first (deleted, spam and drafts left out)."""
    return (
        Conversation.objects.filter(customer_id__in=customer_ids_for(user), is_deleted=False)
        .exclude(status="spam")
        .exclude(state__in=HIDDEN_CONVERSATION_STATES)
        .select_related("mailbox")
        .order_by("-updated_at", "-id")
    )


def public_threads() -> QuerySet[Thread]:
    """Threads a customer may read: never notes, never line items, never drafts."""
    return (
        Thread.objects.filter(type__in=PUBLIC_THREAD_TYPES)
        .exclude(state__in=HIDDEN_THREAD_STATES)
        .order_by("created_at", "id")
    )
