"""Repeats arriving at the same moment on SQLite: one row, counting each.

test_repeats.py's simultaneous test runs only on PostgreSQL: the test database on SQLite
lives in memory, which threads cannot share. The demo and small hosts run SQLite with a
web server, a task worker and the sync writing side by side (WAL, IMMEDIATE
transactions: project/settings.py), so here the same race runs on an SQLite file set up
the same way, outside the test database (no django_db mark: `django_db_blocker` lets
this test, and only it, open its own connections).
"""

from __future__ import annotations

import threading

import pytest
from django.db import connections

from helpscout_integration.models import WebhookEvent
from helpscout_integration.webhooks import storage

ALIAS = "repeats_on_sqlite"


@pytest.fixture
def sqlite_file_database(tmp_path, django_db_blocker):
    """An SQLite database in a file, set up as the demo's (WAL, IMMEDIATE transactions),
    holding only the event table: threads can share it, unlike the in-memory test one."""
    alias = ALIAS
    connections.settings[alias] = connections.configure_settings(
        {
            "default": dict(connections.settings["default"]),  # it insists on one
            alias: {
                "ENGINE": "django.db.backends.sqlite3",
                "NAME": str(tmp_path / "events.sqlite3"),
                "OPTIONS": {
                    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                    "transaction_mode": "IMMEDIATE",
                },
            },
        }
    )[alias]
    with django_db_blocker.unblock():
        with connections[alias].schema_editor() as editor:
            editor.create_model(WebhookEvent)
        connections[alias].close()
        yield alias
        connections[alias].close()
    del connections.settings[alias]


def test_simultaneous_repeats_make_one_row_on_sqlite(sqlite_file_database):
    """test_repeats.py's simultaneous test, on SQLite: eight copies of one delivery
    arriving at once make one row counting eight."""
    alias = sqlite_file_database
    barrier = threading.Barrier(8)
    errors = []

    def deliver():
        try:
            event = WebhookEvent(event_type="tag.created", body=b'{"id": 11}', signature_valid=True)
            event._state.db = alias  # the router sends the write where the instance lives
            barrier.wait()
            storage.record_delivery(event)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections[alias].close()

    threads = [threading.Thread(target=deliver) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    rows = WebhookEvent.objects.using(alias).values_list("deliveries", flat=True)
    assert list(rows) == [8]
