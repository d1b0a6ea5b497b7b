"""SQLite in WAL mode: checkpoint on a helper thread while a sync writes.

In WAL mode a commit appends the transaction's pages to the `-wal` file, and the commit
that takes the log past `wal_autocheckpoint` pages (1,000 by default) also copies the
logged pages back into the database file and syncs both to disk. That checkpoint runs in
the committing connection: during a sync it is the largest wait in a page's commit, a
disk flush the writer sits through while the other core idles.

`checkpoints_in_background()` turns the automatic checkpoint off for the sync's own
connection (the setting is per connection: the product's other connections keep
theirs) and runs SQLite's PASSIVE checkpoint on a helper thread with its own connection
after each commit it is told about. SQLite allows a checkpoint alongside a writer (the
writer appends, the checkpoint copies what was committed before), and Python's sqlite3
releases the GIL while SQLite works, so the copy and the flush overlap the next page's
parsing. Durability is unchanged: a commit is in the log either way, and a checkpoint
only moves committed pages from the log into the database file. When the block ends the
connection's own setting is restored, and its next commits checkpoint as before.

Nothing happens on other databases, for databases not in WAL mode (Django's in-memory
test databases), or when the product turned automatic checkpoints off itself.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connections

logger = logging.getLogger(__name__)


class _Checkpointer:
    """A helper thread that runs `PRAGMA wal_checkpoint(PASSIVE)` when nudged."""

    def __init__(self, path: str) -> None:
        self._path = path
        self._wanted = threading.Event()
        self._stopping = False
        self._thread = threading.Thread(
            target=self._run, name="helpscout-sync-checkpoint", daemon=True
        )
        self._thread.start()

    def committed(self) -> None:
        """A commit was made: checkpoint when the helper is free (nudges coalesce)."""
        self._wanted.set()

    def stop(self) -> None:
        self._stopping = True
        self._wanted.set()
        self._thread.join()

    def _run(self) -> None:
        try:
            # Its own connection: SQLite checkpoints per database file, not per connection.
            connection = sqlite3.connect(self._path, timeout=5)
        except sqlite3.Error:
            logger.warning("Could not open a checkpoint connection; SQLite checkpoints inline")
            return
        try:
            while True:
                self._wanted.wait()
                self._wanted.clear()
                # Read before checkpointing: a stop asked for during the checkpoint may
                # follow a commit it did not cover, and gets a checkpoint of its own.
                stopping = self._stopping
                try:
                    connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
                except sqlite3.Error as exc:  # busy or locked: the next nudge tries again
                    logger.debug("Background WAL checkpoint skipped: %s", exc)
                if stopping:  # the last commits are checkpointed: done
                    return
        finally:
            connection.close()


class _Inline:
    """What the writer nudges when checkpoints stay with SQLite: nothing to do."""

    def committed(self) -> None:
        pass


@contextmanager
def checkpoints_in_background(using: str = DEFAULT_DB_ALIAS) -> Iterator[_Checkpointer | _Inline]:
    """Within the block, checkpoint the WAL on a helper thread (SQLite in WAL mode only).

    Yields an object whose `committed()` the caller calls after each commit. Must be
    entered outside a transaction (the pragmas below cannot change inside one).
    """
    connection = connections[using]
    if connection.vendor != "sqlite" or connection.in_atomic_block or connection.is_in_memory_db():  # type: ignore[attr-defined]  # SQLite's wrapper only, vendor checked first
        yield _Inline()
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        mode = cursor.fetchone()[0]
        cursor.execute("PRAGMA wal_autocheckpoint")
        previous = cursor.fetchone()[0]
    if str(mode).lower() != "wal" or previous <= 0:
        yield _Inline()
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_autocheckpoint = 0")
    checkpointer = _Checkpointer(str(connection.settings_dict["NAME"]))
    try:
        yield checkpointer
    finally:
        checkpointer.stop()
        if connection.connection is not None:  # still open: give it its setting back
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA wal_autocheckpoint = {int(previous)}")
