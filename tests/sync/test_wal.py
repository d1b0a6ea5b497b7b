"""sync/wal.py: WAL checkpoints on a helper thread while a sync writes (SQLite)."""

import sqlite3

import pytest
from django.db import connection, connections, transaction

from helpscout_integration.sync.wal import _Checkpointer, checkpoints_in_background


def _database_file_pages(path) -> int:
    return path.stat().st_size // 4096


def _rows_in_database_file(path, scratch) -> int:
    """Rows a copy of the database file holds without its log: what was checkpointed."""
    copy = scratch / "copy.sqlite3"
    copy.write_bytes(path.read_bytes())
    with sqlite3.connect(copy) as reader:
        return reader.execute("SELECT count(*) FROM t").fetchone()[0]


def _write_in_wal(path, rows: int) -> sqlite3.Connection:
    """A WAL database whose committed rows are all still in the log (no checkpoint)."""
    writer = sqlite3.connect(path)
    writer.execute("PRAGMA journal_mode=WAL")
    writer.execute("PRAGMA wal_autocheckpoint=0")
    writer.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT)")
    writer.executemany("INSERT INTO t VALUES (?, ?)", [(i, "x" * 1000) for i in range(rows)])
    writer.commit()
    return writer


def test_the_helper_thread_moves_committed_pages_from_the_log_into_the_database(tmp_path):
    path = tmp_path / "mirror.sqlite3"
    writer = _write_in_wal(path, 500)
    try:
        assert _database_file_pages(path) <= 2  # everything is still in mirror.sqlite3-wal
        checkpointer = _Checkpointer(str(path))
        checkpointer.committed()
        checkpointer.stop()
        assert _database_file_pages(path) > 100
        assert _rows_in_database_file(path, tmp_path) == 500
    finally:
        writer.close()


def test_stopping_checkpoints_what_the_last_commit_left(tmp_path):
    path = tmp_path / "mirror.sqlite3"
    writer = _write_in_wal(path, 10)
    try:
        checkpointer = _Checkpointer(str(path))
        checkpointer.committed()
        writer.executemany("INSERT INTO t VALUES (?, ?)", [(i, "y" * 1000) for i in range(10, 400)])
        writer.commit()
        checkpointer.stop()  # no nudge for the second commit: stopping checkpoints it
        assert _rows_in_database_file(path, tmp_path) == 400
    finally:
        writer.close()


@pytest.fixture
def wal_database(tmp_path, django_db_blocker):
    """A Django connection to a file SQLite database in WAL mode, as the demo configures."""
    django_db_blocker.unblock()
    alias = "wal_test"
    connections.settings[alias] = {
        **connections.settings["default"],
        "ENGINE": "django.db.backends.sqlite3",  # whatever the suite runs on
        "NAME": str(tmp_path / "mirror.sqlite3"),
        "OPTIONS": {"init_command": "PRAGMA journal_mode=WAL;"},
        "TEST": {"NAME": str(tmp_path / "mirror.sqlite3")},
    }
    try:
        yield connections[alias], alias, tmp_path / "mirror.sqlite3"
    finally:
        connections[alias].close()
        del connections[alias]
        del connections.settings[alias]
        django_db_blocker.restore()


def _autocheckpoint(django_connection) -> int:
    with django_connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_autocheckpoint")
        return cursor.fetchone()[0]


def test_inside_the_block_commits_leave_checkpoints_to_the_helper(wal_database):
    db, alias, path = wal_database
    with db.cursor() as cursor:
        cursor.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT)")
    assert _autocheckpoint(db) == 1000
    with checkpoints_in_background(alias) as wal:
        assert _autocheckpoint(db) == 0  # this connection no longer checkpoints inline
        with transaction.atomic(using=alias), db.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO t VALUES (%s, %s)", [(i, "x" * 1000) for i in range(1500)]
            )
        assert _database_file_pages(path) < 10  # 1,500 log pages, no inline checkpoint
        wal.committed()
    assert _autocheckpoint(db) == 1000  # its own setting is back
    assert _database_file_pages(path) > 300  # the helper checkpointed the commit


@pytest.mark.django_db
def test_databases_without_a_wal_file_are_left_alone():
    # The test database is in memory on SQLite (and PostgreSQL has no such log).
    before = _autocheckpoint(connection) if connection.vendor == "sqlite" else None
    with checkpoints_in_background() as wal:
        if connection.vendor == "sqlite":
            assert _autocheckpoint(connection) == before
        wal.committed()  # a no-op, safe to call
    assert not hasattr(wal, "stop")
