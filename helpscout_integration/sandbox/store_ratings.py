"""Satisfaction ratings in a `Store`: a customer rating a conversation's latest reply.

Ratings are read by the Reports API and announced as `satisfaction.ratings`; deleting a
customer removes theirs (`store_customers.py`). This layer must never change the
conversation it rates.
"""

from __future__ import annotations

from .records import Rating
from .store_base import RATINGS, Invalid
from .store_customers import CustomerStore


class RatingStore(CustomerStore):
    """Satisfaction ratings on top of `CustomerStore`."""

    def add_rating(
        self, conversation_id: int, rating: str, comments: str = "", user_id: int | None = None
    ) -> Rating:
        """A customer rates the conversation's latest reply (`satisfaction.ratings`)."""
        if rating not in RATINGS:
            raise Invalid([("rating", "must be great, okay or not_good", rating)])
        with self.lock:
            conversation = self.conversation(conversation_id)
            replies = [t for t in self.threads_of(conversation) if t.type == "message"]
            latest = replies[-1] if replies else None
            item = Rating(
                id=self.next_id("rating"),
                conversation_id=conversation.id,
                mailbox_id=conversation.mailbox_id,
                thread_id=latest.id if latest else None,
                customer_id=conversation.customer_id,
                user_id=user_id or (latest.created_by[1] if latest else None),
                rating=rating,
                comments=comments,
                created_at=self.clock.now(),
            )
            self.ratings[item.id] = item
            self._emit("satisfaction.ratings", "rating", item)
            return item
