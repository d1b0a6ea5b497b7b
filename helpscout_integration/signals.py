"""Signals host code connects to; sent after the mirror is updated, never before."""

from django.dispatch import Signal

# Sent after a webhook event has been processed. kwargs: event (WebhookEvent).
webhook_received = Signal()

# Sent after a conversation was written to the mirror by sync or webhook.
# kwargs: conversation (Conversation), created (bool), source ("sync" | "webhook" | "api").
conversation_synced = Signal()
