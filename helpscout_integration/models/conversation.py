"""Mirror of conversations and their threads, indexed for the queries staff and products make."""

from django.db import models

from .base import MirrorModel
from .customer import Customer
from .directory import Agent, Mailbox, Tag
from .fields import MirrorJSONField
from .organization import Team


class ConversationStatus(models.TextChoices):
    ACTIVE = "active"
    PENDING = "pending"
    CLOSED = "closed"
    SPAM = "spam"


class Conversation(MirrorModel):
    number = models.BigIntegerField(null=True, blank=True)
    # No single-column index on mailbox, customer or assignee: the composite indexes in
    # Meta lead with them and serve the same lookups, and every extra index is paid for
    # on each row a sync page or a webhook writes (see docs/performance.md).
    mailbox = models.ForeignKey(
        Mailbox,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="conversations",
        db_index=False,
    )
    folder_id = models.BigIntegerField(null=True, blank=True)
    subject = models.CharField(max_length=1000, blank=True)
    status = models.CharField(max_length=20, choices=ConversationStatus.choices, blank=True)
    state = models.CharField(max_length=20, blank=True, help_text="draft, published or deleted")
    type = models.CharField(max_length=20, blank=True, help_text="email, phone or chat")
    customer = models.ForeignKey(
        Customer,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="conversations",
        db_index=False,
    )
    assignee = models.ForeignKey(
        Agent,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="conversations",
        db_index=False,
    )
    assignee_team = models.ForeignKey(
        Team,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="conversations",
        help_text="Set when the conversation is assigned to a team rather than an agent",
        db_index=False,
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="conversations")
    preview = models.TextField(blank=True)
    thread_count = models.PositiveIntegerField(default=0)
    source_type = models.CharField(max_length=50, blank=True)
    source_via = models.CharField(max_length=50, blank=True)
    custom_fields = MirrorJSONField(default=list, blank=True)
    created_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(
        null=True, blank=True, help_text="userUpdatedAt: last change made by a person"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    customer_waiting_since = models.DateTimeField(null=True, blank=True)
    is_deleted = models.BooleanField(default=False)
    deleted_at = models.DateTimeField(null=True, blank=True)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged_from"
    )

    class Meta:
        ordering = ["-updated_at"]
        indexes = [
            models.Index(
                fields=["mailbox", "status", "-updated_at"], name="hs_conv_mbox_status_upd"
            ),
            models.Index(fields=["status", "-updated_at"], name="hs_conv_status_upd"),
            models.Index(fields=["-updated_at"], name="hs_conv_updated"),
            # Admin "created" date filter and the overview's conversations-per-day chart.
            models.Index(fields=["-created_at"], name="hs_conv_created"),
            models.Index(fields=["customer", "-updated_at"], name="hs_conv_customer"),
            models.Index(fields=["assignee", "status"], name="hs_conv_assignee"),
            models.Index(fields=["assignee_team", "status"], name="hs_conv_team"),
            models.Index(fields=["number"], name="hs_conv_number"),
        ]
        permissions = [
            ("reply_conversation", "Can reply to Help Scout conversations"),
            ("note_conversation", "Can add notes to Help Scout conversations"),
            ("change_status_conversation", "Can change the status of Help Scout conversations"),
            ("assign_conversation", "Can assign Help Scout conversations"),
            ("tag_conversation", "Can tag Help Scout conversations"),
            ("download_attachment", "Can download attachments of Help Scout conversations"),
            ("snooze_conversation", "Can snooze and unsnooze Help Scout conversations"),
            ("schedule_reply", "Can schedule replies and cancel or send scheduled ones"),
            ("run_workflow", "Can run Help Scout manual workflows on conversations"),
        ]

    def __str__(self) -> str:
        return f"#{self.number} {self.subject}" if self.number else f"Conversation {self.id}"


class ThreadType(models.TextChoices):
    CUSTOMER = "customer"
    MESSAGE = "message", "agent reply"
    NOTE = "note"
    LINEITEM = "lineitem", "system event"
    PHONE = "phone"
    CHAT = "chat"
    FORWARD_PARENT = "forwardparent"
    FORWARD_CHILD = "forwardchild"
    BEACON_CHAT = "beaconchat"


class Thread(MirrorModel):
    # Indexed by `hs_thread_conv_created` (conversation, created_at), not on its own.
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="threads", db_index=False
    )
    type = models.CharField(max_length=30, blank=True)
    status = models.CharField(max_length=20, blank=True)
    state = models.CharField(max_length=20, blank=True)
    body = models.TextField(blank=True, help_text="HTML as Help Scout stores it (unsanitised)")
    action_type = models.CharField(max_length=50, blank=True)
    action_text = models.TextField(blank=True)
    created_by_type = models.CharField(max_length=20, blank=True, help_text="user or customer")
    created_by_id = models.BigIntegerField(null=True, blank=True)
    created_by_name = models.CharField(max_length=255, blank=True)
    created_by_email = models.CharField(max_length=254, blank=True)
    # Not indexed: nothing looks threads up by customer (a customer's messages are found
    # through their conversations), and on a large mirror this index would cost every
    # synced page about a quarter of its writes. Customers are marked deleted, not removed.
    customer = models.ForeignKey(
        Customer,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="threads",
        db_index=False,
    )
    attachments = MirrorJSONField(default=list, blank=True)
    to = MirrorJSONField(default=list, blank=True)
    cc = MirrorJSONField(default=list, blank=True)
    bcc = MirrorJSONField(default=list, blank=True)
    created_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["conversation", "created_at"], name="hs_thread_conv_created")
        ]

    @property
    def is_note(self) -> bool:
        return self.type == ThreadType.NOTE

    @property
    def is_public(self) -> bool:
        """Visible to the customer: not a note and not a system line item."""
        return self.type in (
            ThreadType.CUSTOMER,
            ThreadType.MESSAGE,
            ThreadType.PHONE,
            ThreadType.CHAT,
            ThreadType.BEACON_CHAT,
        )

    def __str__(self) -> str:
        label = dict(ThreadType.choices).get(self.type, self.type)  # `type` has no choices
        return f"{label or 'thread'} {self.id}"


class SatisfactionRating(MirrorModel):
    conversation = models.ForeignKey(
        Conversation, null=True, blank=True, on_delete=models.SET_NULL, related_name="ratings"
    )
    thread_id = models.BigIntegerField(null=True, blank=True)
    customer = models.ForeignKey(
        Customer, null=True, blank=True, on_delete=models.SET_NULL, related_name="ratings"
    )
    agent = models.ForeignKey(
        Agent, null=True, blank=True, on_delete=models.SET_NULL, related_name="ratings"
    )
    rating = models.CharField(max_length=20, blank=True, help_text="great, okay or bad")
    comments = models.TextField(blank=True)
    created_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Rating {self.id}: {self.rating}"
