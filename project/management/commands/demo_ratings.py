"""Have a few demo customers rate their replies in the sandbox: demo use only.

Help Scout's API cannot list or create satisfaction ratings: they reach a product only as
`satisfaction.ratings` webhooks, when a customer clicks a rating link. So a freshly synced
demo has none. This asks the running sandbox (`POST /sandbox/ratings`) to have customers
rate the latest reply of some mirrored conversations, the demo customer's first; the
sandbox's signed webhooks then put the ratings in the mirror like Help Scout's would.
Run once the demo's webhook endpoint and task worker are up.
"""

import httpx
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from helpscout_integration.models import Conversation, ThreadType

from .demo_users import demo_customer

RATINGS = (
    ("great", "Fixed in minutes, thank you!"),
    ("okay", "Solved, but it took a few emails."),
    ("great", ""),
    ("not_good", "I had to ask three times."),
    ("great", "Very clear answer."),
    ("okay", ""),
)


def rated_conversations(count: int) -> list[int]:
    """Ids of up to `count` live conversations with an agent reply, demo customer first."""
    replied = (
        Conversation.objects.filter(is_deleted=False, threads__type=ThreadType.MESSAGE)
        .exclude(status="spam")
        .distinct()
    )
    ids: list[int] = []
    customer = demo_customer()
    if customer is not None:
        ids += replied.filter(customer=customer).order_by("id").values_list("id", flat=True)[:2]
    others = replied.exclude(id__in=ids).order_by("id").values_list("id", flat=True)
    ids += others[: max(count - len(ids), 0)]
    return ids[:count]


class Command(BaseCommand):
    help = "Rate a few mirrored conversations in the running sandbox (webhooks mirror them)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--sandbox-url",
            default=getattr(settings, "SANDBOX_URL", ""),
            help="The running sandbox (default: settings.SANDBOX_URL).",
        )
        parser.add_argument("--count", type=int, default=len(RATINGS))

    def handle(self, sandbox_url, count, **options):
        if not sandbox_url:
            raise CommandError("No sandbox URL: pass --sandbox-url or set settings.SANDBOX_URL.")
        ids = rated_conversations(count)
        if not ids:
            raise CommandError("No mirrored conversation has a reply to rate: sync first.")
        with httpx.Client(base_url=sandbox_url.rstrip("/"), timeout=10) as client:
            for n, conversation_id in enumerate(ids):
                rating, comments = RATINGS[n % len(RATINGS)]
                body = {"conversationId": conversation_id, "rating": rating, "comments": comments}
                try:
                    answer = client.post("/sandbox/ratings", json=body)
                except httpx.HTTPError as error:
                    raise CommandError(
                        f"The sandbox at {sandbox_url} did not answer: {error}"
                    ) from None
                if answer.status_code != 201:
                    raise CommandError(
                        f"The sandbox refused to rate conversation {conversation_id}: "
                        f"HTTP {answer.status_code} {answer.text[:200]}"
                    )
        self.stdout.write(
            f"Rated {len(ids)} conversation(s) in the sandbox; its webhooks mirror the ratings."
        )
