"""The demo seed's share of the agent's toolkit: real files on the threads that say
"I attached a screenshot", one file the scan flagged, saved replies, manual workflows,
snoozed conversations and agents' statuses.

Called once by `seed.load` for the demo seed only (the large seeds stay lean). Threads of
seeded conversations are generated on demand; their ids are stable, so files are hung on
those ids without materialising anything.
"""

from __future__ import annotations

import struct
import zlib
from typing import TYPE_CHECKING

from .attachment_files import MALICIOUS, book_for
from .scheduling import Snooze
from .scheduling import book_for as scheduling_book
from .toolkit_records import records_for

if TYPE_CHECKING:
    from .store import Store

SCREENSHOT_LINE = "I attached a screenshot"


def png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A small valid PNG: a framed block of one colour (what a screenshot stand-in needs)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    rows = []
    for y in range(height):
        row = bytearray([0])
        for x in range(width):
            edge = x < 2 or y < 2 or x >= width - 2 or y >= height - 2 or y == 10
            row += bytes((40, 40, 40) if edge else rgb)
        rows.append(bytes(row))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
        + chunk(b"IEND", b"")
    )


SNOOZED_CONVERSATIONS = 3
SAVED_REPLIES = (
    (
        "Refund issued",
        "Hi,<br /><br />We have refunded your payment; it shows on your "
        "statement within 5 business days.<br /><br />Best,",
        "",
    ),
    (
        "Need more details",
        "Hi,<br /><br />Could you send a screenshot of what you see, and "
        "the time it happened?<br /><br />Thanks,",
        "",
    ),
    (
        "Password reset",
        "Hi,<br /><br />Use <b>Forgot password</b> on the sign-in page; the "
        "link is valid for one hour.",
        "",
    ),
    ("Chat greeting", "", "Hi! Thanks for reaching out, how can I help?"),
)
WORKFLOWS = (
    ("Escalate to billing", "manual", "active", (("tag", "billing"), ("status", "pending"))),
    ("Close as resolved", "manual", "active", (("status", "closed"),)),
    ("Old triage (off)", "manual", "inactive", (("tag", "triage"),)),
    ("Auto-tag VIP", "automatic", "active", (("tag", "vip"),)),
)


def populate(store: Store) -> None:
    """Files on threads, each mailbox's saved replies and workflows, three snoozed
    conversations (1-3 days from now), then agents' statuses."""
    _attach_screenshots(store)
    records = records_for(store)
    with store.lock:
        now = store.clock.now()
        for mailbox_id in sorted(store.mailboxes):
            for name, text, chat in SAVED_REPLIES:
                records.add_saved_reply(mailbox_id, name, text, chat)
            for name, kind, status, actions in WORKFLOWS:
                records.add_workflow(
                    mailbox_id, name, now, type=kind, status=status, actions=actions
                )
        snoozed = 0
        for conversation_id, conversation in list(store.conversations.items()):
            if snoozed == SNOOZED_CONVERSATIONS:
                break
            if conversation.status == "active":
                book = scheduling_book(store)
                book.snoozes[conversation_id] = Snooze(
                    # Whole days ahead (midnight UTC): the same seed gives the same data
                    # all day long, and the snoozes are always in the future.
                    (now // 86400 + 2 + snoozed) * 86400,
                    snoozed % 2 == 0,
                    min(store.users, default=0),
                )
                snoozed += 1
        for n, user_id in enumerate(sorted(store.users)):
            item = records.status_of(user_id)
            item.email_status = "away" if n % 3 == 2 else "active"
            item.email_updated_at = now
            item.chat_status = ("available", "unavailable", "assign")[n % 3]


def _attach_screenshots(store: Store) -> None:
    """Attach a screenshot to every seeded customer thread that mentions one; flag the
    second such file's companion as malicious (so the demo shows the warning)."""
    generator = store.thread_generator
    if generator is None:
        return
    book = book_for(store)
    shot = png(160, 100, (120, 180, 230))
    flagged = False
    with store.lock:
        for conversation_id, conversation in list(store.conversations.items()):
            for thread in generator(store, conversation):
                if thread.type != "customer" or SCREENSHOT_LINE not in thread.body:
                    continue
                book.add(conversation_id, thread.id, "screenshot.png", "image/png", shot)
                if not flagged:
                    book.add(
                        conversation_id,
                        thread.id,
                        "invoice.pdf.exe",
                        "application/x-msdownload",
                        b"MZ sandbox stand-in for a flagged file",
                        state=MALICIOUS,
                    )
                    flagged = True
