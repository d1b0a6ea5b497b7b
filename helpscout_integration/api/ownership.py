"""Which mirrored conversations and threads belong to a product user.

A conversation is the user's when its customer has the user's email among all of the
customer's emails (case-insensitive). Only public threads (customer messages, agent
replies, phone, chat) are ever shown: notes and system line items never are. Reads the
mirror only; never calls Help Scout.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from ..customer_properties.context import user_email
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


def customer_ids_for(user) -> list[int]:
    """Ids of mirrored customers who have the user's email (primary or any other)."""
    email = user_email(user).lower()
    if not email:
        return []
    # JSON `contains` is not portable (SQLite); a text match on the quoted address narrows
    # the rows and the exact comparison below decides.
    candidates = Customer.objects.filter(
        Q(email__iexact=email) | Q(emails__icontains=f'"{email}"'), is_deleted=False
    ).values_list("id", "email", "emails")
    return [
        pk
        for pk, primary, emails in candidates
        if primary.lower() == email or email in {str(e).lower() for e in emails or ()}
    ]


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
