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
    assert lines[0] == "conversations: starting (size unknown)"
    assert any(line.startswith("conversations: 25/60 (") and "/s;" in line for line in lines)
    # Items of a page's last second are read again with the next page: unchanged.
    assert lines[-1].startswith("conversations: done: created 60, updated 0, unchanged ")


def test_progress_bar_shows_counts_and_rate():
    fake = FakeHelpScout()
    fake.add(60)
    out = io.StringIO()
    SyncEngine(fake, reporter=TqdmReporter(out)).run(["conversations"], full=True)
    text = out.getvalue()
    assert "conversations" in text and "item/s" in text
    assert "created=60" in text
