"""Signals host code connects to; sent after the mirror is updated, never before."""

from django.dispatch import Signal

# Sent after a webhook event has been processed. kwargs: event (WebhookEvent).
webhook_received = Signal()

# Sent when a webhook event fails for good: its body can never be processed, it was
# refused at the door (a 400), or it used its last attempt. Sent after the failure is
# committed; not sent for a failure that will be retried.
# kwargs: event (WebhookEvent), error (str, the same text as `event.error`).
webhook_failed = Signal()

# Sent after a conversation was written to the mirror by sync or webhook.
# kwargs: conversation (Conversation), created (bool), source ("sync" | "webhook" | "api").
conversation_synced = Signal()
