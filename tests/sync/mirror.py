"""Compare the mirror with Help Scout (the sandbox): both sides reduced to plain values."""

from helpscout_integration.models import Agent, Conversation, Customer, Mailbox, Tag
from helpscout_integration.payloads import (
    parse_conversation,
    parse_customer,
    parse_mailbox,
    parse_tag,
    parse_user,
)


def remote_state(client):
    conversations = {}
    for item in client.conversations.list(status="all", embed="threads"):
        parsed = parse_conversation(item)
        conversations[parsed.id] = (
            parsed.fields["subject"],
            parsed.fields["status"],
            parsed.mailbox_id,
            parsed.customer.id if parsed.customer else None,
            parsed.assignee.id if parsed.assignee else None,
            sorted(t.id for t in parsed.tags or ()),
            sorted(t.id for t in parsed.threads or ()),
        )
    return {
        "conversations": conversations,
        "customers": {
            c.id: c.fields["email"] for c in map(parse_customer, client.customers.list())
        },
        "tags": {t.id: t.fields["name"] for t in map(parse_tag, client.tags.list())},
        "mailboxes": {m.id: m.fields["name"] for m in map(parse_mailbox, client.mailboxes.list())},
        "agents": {u.id: u.fields["email"] for u in map(parse_user, client.users.list())},
    }


def local_state():
    conversations = {}
    # Live conversations: not deleted, not merged into another (Help Scout lists neither).
    live = Conversation.objects.filter(
        is_deleted=False, is_placeholder=False, merged_into__isnull=True
    )
    for conv in live.prefetch_related("tags", "threads"):
        conversations[conv.id] = (
            conv.subject,
            conv.status,
            conv.mailbox_id,
            conv.customer_id,
            conv.assignee_id,
            sorted(t.id for t in conv.tags.all()),
            sorted(t.id for t in conv.threads.all()),
        )
    real = {"is_placeholder": False}
    return {
        "conversations": conversations,
        "customers": dict(Customer.objects.filter(**real).values_list("id", "email")),
        "tags": dict(Tag.objects.filter(**real).values_list("id", "name")),
        "mailboxes": dict(Mailbox.objects.filter(**real).values_list("id", "name")),
        "agents": dict(Agent.objects.filter(**real).values_list("id", "email")),
    }
