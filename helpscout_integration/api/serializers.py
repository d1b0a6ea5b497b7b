"""DRF serializers over the mirror, in two shapes: what an end user may see of their own
conversations, and what staff may read. The end-user shapes never carry notes, line
items, the conversation preview (it can quote a note) or agents' email addresses.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.html import strip_tags
from rest_framework import serializers

from ..models import Conversation, Customer, Thread
from ..payloads.attachment import parse_attachments
from .conversations import MAX_ATTACHMENTS_BYTES
from .ownership import public_threads
from .permissions import can_view


class PublicThreadSerializer(serializers.ModelSerializer):
    """A thread as its customer sees it."""

    from_customer = serializers.SerializerMethodField()
    author = serializers.SerializerMethodField()
    text = serializers.SerializerMethodField()
    body = serializers.CharField(help_text="HTML as Help Scout stores it: sanitise to render")
    attachments = serializers.SerializerMethodField()

    class Meta:
        model = Thread
        fields = (
            "id", "type", "from_customer", "author", "created_at", "body", "text", "attachments"
        )  # fmt: skip

    def get_attachments(self, thread: Thread) -> list[dict]:
        """Each file with a `url` on this product (None for a file Help Scout's scan
        flagged: it is not served to end users)."""
        result = []
        for info in parse_attachments(thread.attachments):
            url = None
            if info.is_valid and info.id is not None:
                url = reverse(
                    "helpscout:my-conversation-attachment",
                    args=[thread.conversation_id, info.id],
                )
            result.append(
                {
                    "id": info.id,
                    "filename": info.filename,
                    "mime_type": info.mime_type,
                    "size": info.size,
                    "state": info.state,
                    "url": url,
                }
            )
        return result

    def get_from_customer(self, thread: Thread) -> bool:
        return thread.type == "customer" or thread.created_by_type == "customer"

    def get_author(self, thread: Thread) -> str:
        return thread.created_by_name

    def get_text(self, thread: Thread) -> str:
        return strip_tags(thread.body).strip()


class MyConversationSerializer(serializers.ModelSerializer):
    """A conversation in the end user's list."""

    class Meta:
        model = Conversation
        fields: tuple[str, ...] = (
            "id",
            "number",
            "subject",
            "status",
            "created_at",
            "updated_at",
            "closed_at",
        )


class MyConversationDetailSerializer(MyConversationSerializer):
    threads = serializers.SerializerMethodField()

    class Meta(MyConversationSerializer.Meta):
        fields = (*MyConversationSerializer.Meta.fields, "threads")

    def get_threads(self, conversation: Conversation) -> list[dict]:
        threads = public_threads().filter(conversation=conversation)
        # many=True builds a ListSerializer (its .data a ReturnList); the stubs type the child.
        return PublicThreadSerializer(threads, many=True).data  # type: ignore[return-value]


class OpenConversationSerializer(serializers.Serializer):
    subject = serializers.CharField(max_length=255, trim_whitespace=True)
    text = serializers.CharField(max_length=50_000, trim_whitespace=True)
    attachments = serializers.ListField(
        child=serializers.FileField(), required=False, max_length=10, default=list
    )

    def validate_attachments(self, files):
        if sum(f.size for f in files) > MAX_ATTACHMENTS_BYTES:
            raise serializers.ValidationError("Attachments may total 10 MB at most.")
        return files


class ReplySerializer(serializers.Serializer):
    text = serializers.CharField(max_length=50_000, trim_whitespace=True)
    attachments = serializers.ListField(
        child=serializers.FileField(), required=False, max_length=10, default=list
    )

    validate_attachments = OpenConversationSerializer.validate_attachments


class StaffThreadSerializer(serializers.ModelSerializer):
    """A thread for staff. A customer thread's author is the customer: their name is
    customer data, so it needs `view_customer` like the conversation's customer_email
    (without it, `created_by_name` is ""). Needs the request in the context."""

    class Meta:
        model = Thread
        fields = (
            "id",
            "type",
            "status",
            "created_by_type",
            "created_by_name",
            "created_at",
            "body",
        )

    def to_representation(self, instance: Thread) -> dict:
        data = super().to_representation(instance)
        if instance.created_by_type == "customer" and not self._may_see_customers():
            data["created_by_name"] = ""
        return data

    def _may_see_customers(self) -> bool:
        request = self.context.get("request")
        return request is not None and can_view(request.user, Customer)


class StaffConversationSerializer(serializers.ModelSerializer):
    customer_email = serializers.CharField(source="customer.email", default="", read_only=True)
    mailbox = serializers.CharField(source="mailbox.name", default="", read_only=True)

    class Meta:
        model = Conversation
        fields: tuple[str, ...] = (
            "id",
            "number",
            "subject",
            "status",
            "mailbox",
            "customer_email",
            "assignee_id",
            "created_at",
            "updated_at",
            "closed_at",
            "thread_count",
        )


class StaffConversationWithoutCustomerSerializer(StaffConversationSerializer):
    """For staff who may view conversations but not customers: no customer email."""

    class Meta(StaffConversationSerializer.Meta):
        fields = tuple(f for f in StaffConversationSerializer.Meta.fields if f != "customer_email")
