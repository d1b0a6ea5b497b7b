"""The run report's bookkeeping: repeats recognised with a memory that does not grow."""

from helpscout_integration.sync.stats import RecentKeys, ResourceReport


def test_recent_keys_remember_the_latest_keys_only():
    keys = RecentKeys(capacity=3)
    for key in (1, 2, 3):
        keys.add(key)
    assert 1 in keys and 3 in keys
    keys.add(4)
    assert 1 not in keys  # the oldest went
    assert {2, 3, 4} == {key for key in range(10) if key in keys}
    assert len(keys) == 3


def test_adding_a_key_again_does_not_make_it_forget_another():
    keys = RecentKeys(capacity=2)
    keys.add("a")
    keys.add("b")
    keys.add("b")
    assert "a" in keys and "b" in keys and len(keys) == 2


def test_a_report_remembers_a_bounded_number_of_written_items():
    report = ResourceReport("conversations")
    for cid in range(50_000):
        report.written.add((cid, None))
    assert len(report.written) == report.written.capacity < 50_000
    assert (49_999, None) in report.written and (0, None) not in report.written


def test_the_newest_keys_by_modification_time_are_kept_for_a_later_pass():
    """A later pass of the run lists the newest items again (checkpoint minus overlap):
    they are recognised although many keys were written after them."""
    from datetime import UTC, datetime, timedelta

    start = datetime(2026, 1, 1, tzinfo=UTC)
    keys = RecentKeys(capacity=3)
    for n in range(3):  # the newest: listed first (open work, newest first)
        keys.add((n, start + timedelta(days=10 + n)))
    for n in range(3, 100):  # then the history, oldest first
        keys.add((n, start + timedelta(minutes=n)))
    assert all((n, start + timedelta(days=10 + n)) in keys for n in range(3))
    assert (3, start + timedelta(minutes=3)) not in keys  # neither recent nor newest
    assert len(keys) <= 2 * keys.capacity
