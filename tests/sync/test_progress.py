"""Progress reporting: a bar with counts and rate in a terminal, plain lines otherwise."""

import io

import pytest

from helpscout_integration.sync.engine import SyncEngine
from helpscout_integration.sync.progress import LogReporter, TqdmReporter

from .fake_helpscout import FakeHelpScout

pytestmark = pytest.mark.django_db


def test_plain_lines_count_each_page():
    fake = FakeHelpScout()
    fake.add(60)
    out = io.StringIO()
    SyncEngine(fake, reporter=LogReporter(out)).run(["conversations"], full=True)
    lines = out.getvalue().splitlines()
    # A first full sync lists open work first, then the rest, each phase on its own lines.
    assert lines[0] == "conversations (open work): starting (size unknown)"
    assert any(
        line.startswith("conversations (open work): 25/60 (") and "/s;" in line for line in lines
    )
    assert "conversations (backfill): starting (size unknown)" in lines
    # Items listed again (overlapping pages, later phases) are written once.
    assert ": done: created 60, updated 0, unchanged " in lines[-1]


def test_progress_bar_shows_counts_and_rate():
    fake = FakeHelpScout()
    fake.add(60)
    out = io.StringIO()
    SyncEngine(fake, reporter=TqdmReporter(out)).run(["conversations"], full=True)
    text = out.getvalue()
    assert "conversations" in text and "item/s" in text
    assert "created=60" in text
