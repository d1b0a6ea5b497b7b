"""The demo seed's share of the agent's toolkit: real files on the threads that say
"I attached a screenshot", and one file the scan flagged.

Called once by `seed.load` for the demo seed only (the large seeds stay lean). Threads of
seeded conversations are generated on demand; their ids are stable, so files are hung on
those ids without materialising anything.
"""

from __future__ import annotations

import struct
import zlib
from typing import TYPE_CHECKING

from .attachment_files import MALICIOUS, book_for

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


def populate(store: Store) -> None:
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
