"""The account's directory objects in a `Store`: mailboxes (with their folders and custom
fields), users, tags and webhook subscriptions.

These are the things conversations refer to; they are created here and looked up by the
layers above. This layer never touches conversations, customers or their indexes
(`ticket_count` only reads the conversation table).
"""

from __future__ import annotations

from .records import CustomField, Folder, Mailbox, Tag, User, Webhook
from .store_base import PLANS, Invalid, slugify
from .store_index import IndexedStore


class DirectoryStore(IndexedStore):
    """Mailboxes, users, tags and webhooks on top of `IndexedStore`."""

    # -- directory objects --------------------------------------------------------------------

    def add_mailbox(self, name: str, email: str | None = None, slug: str | None = None) -> Mailbox:
        with self.lock:
            now = self.touch()
            mailbox_id = self.next_id("mailbox")
            mailbox = Mailbox(
                id=mailbox_id,
                name=name,
                slug=slug or f"{mailbox_id:x}{slugify(name)[:8]}",
                email=email or f"{slugify(name)}@example.com",
                created_at=now,
                updated_at=now,
            )
            self.mailboxes[mailbox.id] = mailbox
            self.folders[mailbox.id] = [
                Folder(self.next_id("folder"), mailbox.id, folder_name, folder_type)
                for folder_name, folder_type in (
                    ("Unassigned", "open"),
                    ("Mine", "mytickets"),
                    ("Drafts", "drafts"),
                    ("Assigned", "assigned"),
                    ("Closed", "closed"),
                    ("Spam", "spam"),
                )
            ]
            order_number_id = self.next_id("field")
            plan_id = self.next_id("field")
            self.custom_fields[mailbox.id] = [
                CustomField(order_number_id, mailbox.id, "Order number"),
                CustomField(
                    plan_id,
                    mailbox.id,
                    "Plan",
                    "dropdown",
                    [(plan_id * 10 + n, label) for n, label in enumerate(PLANS, start=1)],
                ),
            ]
            return mailbox

    def add_user(
        self,
        first_name: str,
        last_name: str,
        email: str,
        role: str = "user",
        timezone: str = "UTC",
    ) -> User:
        with self.lock:
            now = self.touch()
            user = User(
                self.next_id("user"), first_name, last_name, email, role, timezone, now, now
            )
            self.users[user.id] = user
            return user

    def ensure_tag(self, name: str, color: str = "#929499") -> Tag:
        """The tag called `name` (case-insensitive), created (and announced) when new."""
        with self.lock:
            key = name.strip().lower()
            if not key:
                raise Invalid([("tags", "may not be empty", name)])
            existing = self.tags_by_name.get(key)
            if existing is not None:
                return existing
            now = self.touch()
            tag = Tag(self.next_id("tag"), key, slugify(key), color, now, now)
            self.tags[tag.id] = tag
            self.tags_by_name[key] = tag
            self._emit("tag.created", "tag", tag)
            return tag

    def ticket_count(self, tag: Tag) -> int:
        return self.conversations.tag_counts()[tag.id]

    # -- webhooks -----------------------------------------------------------------------------

    def add_webhook(
        self, url: str, secret: str, events: list[str] | None = None, **extra
    ) -> Webhook:
        with self.lock:
            webhook = Webhook(self.next_id("webhook"), url, secret, events, **extra)
            self.webhooks[webhook.id] = webhook
            return webhook

    def webhook(self, webhook_id: int) -> Webhook:
        return self._get(self.webhooks, webhook_id, "Webhook")

    def delete_webhook(self, webhook_id: int) -> None:
        with self.lock:
            self.webhook(webhook_id)
            del self.webhooks[webhook_id]
