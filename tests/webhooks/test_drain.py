"""New deliveries are processed by drain tasks: one per promise, never a lost wake-up.

In one process, with a fake clock: the multi-process proofs (real gunicorn, real
workers) are in test_multiprocess.py.
"""

from __future__ import annotations

import pytest
from django.core.cache import cache, caches
from django_tasks_db.models import DBTaskResult

from helpscout_integration.models import Conversation, WebhookEvent
from helpscout_integration.tasks_compat import IMMEDIATE_BACKEND, TASKS_PACKAGE
from helpscout_integration.webhooks import drain
from helpscout_integration.webhooks.drain import drain_received_events

from . import payloads
from .conftest import SECRET

pytestmark = pytest.mark.django_db


class FakeClock:
    """Wall and monotonic time that only move when slept through or advanced."""

    def __init__(self):
        self.now = 1_800_000_000.0
        self.sleeps: list[float] = []
        self.on_sleep = None

    def time(self) -> float:
        return self.now

    def monotonic(self) -> float:
        return self.now - 1_700_000_000.0

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += max(seconds, 0.001)
        if self.on_sleep is not None:
            self.on_sleep()

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock(monkeypatch):
    fake = FakeClock()
    monkeypatch.setattr(drain, "time", fake)
    return fake


@pytest.fixture
def db_backend(webhook_settings):
    """The demo's database backend: queued tasks are rows, and nothing runs them."""
    webhook_settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    webhook_settings.HELPSCOUT = {"WEBHOOK_SECRET": [SECRET]}
    return webhook_settings


def _drain_tasks():
    return DBTaskResult.objects.filter(task_path__endswith="process_received_webhook_events")


def _args(task_row) -> list:
    return task_row.args_kwargs["args"]


def _run_queued_drain(task_row) -> dict:
    """What the worker would do with the queued task row."""
    return drain_received_events(until=_args(task_row)[0])


def test_a_burst_of_deliveries_queues_one_drain_that_processes_them_all(deliver, db_backend, clock):
    for number in range(5):
        assert deliver("convo.created", payloads.conversation(1001 + number)).status_code == 200
    assert _drain_tasks().count() == 1, "one task for the burst, not one per delivery"
    assert set(WebhookEvent.objects.values_list("status", flat=True)) == {"received"}

    assert _run_queued_drain(_drain_tasks().get()) == {"processed": 5}
    assert set(WebhookEvent.objects.values_list("status", flat=True)) == {"processed"}
    assert Conversation.objects.filter(is_placeholder=False).count() == 5


def test_a_delivery_that_relied_on_a_running_drain_is_seen_by_it(deliver, db_backend, clock):
    # The lost wake-up of before: the drain has looked and found nothing new, and a
    # delivery relying on it commits right then. The drain keeps looking until the
    # promise has expired, so it finds the event; no second task is needed.
    deliver("convo.created", payloads.conversation(1001))
    queued = _drain_tasks().get()

    def late_delivery():
        if not WebhookEvent.objects.filter(resource_id=1002).exists():
            deliver("convo.created", payloads.conversation(1002))

    clock.on_sleep = late_delivery
    assert _run_queued_drain(queued) == {"processed": 2}
    assert _drain_tasks().count() == 1, "the late delivery relied on the running drain"
    assert set(WebhookEvent.objects.values_list("status", flat=True)) == {"processed"}
    assert sum(clock.sleeps) <= drain.PROMISE_SECONDS + drain.CLOCK_SKEW_SECONDS + 0.2


def test_the_drain_waits_for_the_promise_and_the_clock_margin_then_stops(db_backend, clock):
    until = clock.time() + drain.PROMISE_SECONDS
    start = clock.time()
    assert drain_received_events(until=until) == {}
    waited = clock.time() - start
    assert drain.PROMISE_SECONDS + drain.CLOCK_SKEW_SECONDS <= waited
    assert waited <= drain.PROMISE_SECONDS + drain.CLOCK_SKEW_SECONDS + drain.POLL_SECONDS


def test_a_drain_that_starts_after_its_promise_expired_looks_once(deliver, db_backend, clock):
    deliver("convo.created", payloads.conversation(1001))
    queued = _drain_tasks().get()
    clock.advance(60)  # the worker was busy: the promise is long gone
    assert _run_queued_drain(queued) == {"processed": 1}
    assert clock.sleeps == []


def test_once_the_promise_expires_the_next_delivery_queues_a_new_drain(deliver, db_backend, clock):
    deliver("convo.created", payloads.conversation(1001))
    clock.advance(drain.PROMISE_SECONDS / 2)
    deliver("convo.created", payloads.conversation(1002))
    assert _drain_tasks().count() == 1
    clock.advance(drain.PROMISE_SECONDS)
    deliver("convo.created", payloads.conversation(1003))
    assert _drain_tasks().count() == 2


def test_a_promise_shared_by_another_process_is_relied_on(deliver, db_backend, clock):
    # Another web process queued a drain and shared its promise through the cache.
    cache.set(drain.SHARED_KEY, clock.time() + 0.8, 1)
    deliver("convo.created", payloads.conversation(1001))
    assert not _drain_tasks().exists()
    clock.advance(0.9)  # that promise has expired: this process queues its own
    deliver("convo.created", payloads.conversation(1002))
    assert _drain_tasks().count() == 1
    assert cache.get(drain.SHARED_KEY) == pytest.approx(clock.time() + drain.PROMISE_SECONDS)


def test_a_stale_shared_promise_is_replaced(deliver, db_backend, clock):
    cache.set(drain.SHARED_KEY, clock.time() - 5, 60)  # expired, the key not yet
    deliver("convo.created", payloads.conversation(1001))
    assert _drain_tasks().count() == 1


@pytest.mark.parametrize("cache_state", ["dummy", "down"])
def test_without_a_working_cache_each_process_still_queues_one_drain_a_second(
    deliver, db_backend, clock, monkeypatch, cache_state
):
    if cache_state == "dummy":
        db_backend.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    else:

        def cache_down(*args, **kwargs):
            raise ConnectionError("cache unreachable")

        for method in ("add", "get", "set", "delete"):
            monkeypatch.setattr(caches["default"], method, cache_down)
    for number in range(3):
        deliver("convo.created", payloads.conversation(1001 + number))
    assert _drain_tasks().count() == 1
    assert _run_queued_drain(_drain_tasks().get()) == {"processed": 3}


# Both packages' immediate backends: a Django 6 host may still name the backport's (check
# E013 tells it to change), and no request may wait on a promise meanwhile.
IMMEDIATE_BACKENDS = [IMMEDIATE_BACKEND]
if TASKS_PACKAGE == "django.tasks":  # the backport is installed with the test extra
    IMMEDIATE_BACKENDS.append("django_tasks.backends.immediate.ImmediateBackend")


@pytest.mark.parametrize("backend", IMMEDIATE_BACKENDS)
def test_with_the_immediate_backend_each_delivery_is_processed_in_its_request(
    deliver, webhook_settings, clock, backend
):
    webhook_settings.TASKS = {"default": {"BACKEND": backend}}
    for number in range(3):
        deliver("convo.created", payloads.conversation(1001 + number))
        assert WebhookEvent.objects.get(resource_id=1001 + number).status == "processed"
    assert clock.sleeps == [], "no request waits for a promise"


def test_events_are_processed_exactly_once_however_many_drains_run(deliver, db_backend, clock):
    for number in range(3):
        deliver("convo.created", payloads.conversation(1001 + number))
    assert drain_received_events() == {"processed": 3}
    assert drain_received_events() == {}
    assert list(WebhookEvent.objects.values_list("attempts", flat=True)) == [1, 1, 1]


def test_a_long_backlog_is_handed_over_to_a_fresh_task_with_the_promise(deliver, db_backend, clock):
    for number in range(3):
        deliver("convo.created", payloads.conversation(1001 + number))
    until = _args(_drain_tasks().get())[0]
    DBTaskResult.objects.all().delete()
    assert drain_received_events(until=until, max_events=2) == {"processed": 2}
    successor = _drain_tasks().get()
    assert _args(successor) == [until], "the successor keeps looking as long as promised"
    assert WebhookEvent.objects.filter(status="received").count() == 1


def test_backend_down_keeps_events_received_and_lets_the_next_delivery_retry(
    deliver, webhook_settings, caplog, clock
):
    webhook_settings.TASKS = {"default": {"BACKEND": "tests.webhooks.backends.DownBackend"}}
    assert deliver("convo.created", payloads.conversation(1001)).status_code == 200
    assert WebhookEvent.objects.get().status == "received"
    assert "Could not queue processing of received webhooks" in caplog.text
    assert cache.get(drain.SHARED_KEY) is None, "no promise is left for nothing queued"

    webhook_settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    deliver("convo.created", payloads.conversation(1002))
    assert _drain_tasks().count() == 1
    assert _run_queued_drain(_drain_tasks().get()) == {"processed": 2}, "nothing was lost"


def test_a_rolled_back_delivery_queues_nothing(deliver, db_backend, clock):
    response = deliver("convo.created", payloads.conversation(1001), commit=False)
    assert response.status_code == 200
    assert not _drain_tasks().exists(), "queued only after the event is committed"


def test_a_recovery_drain_looks_once_at_every_received_event(deliver, db_backend, clock):
    WebhookEvent.objects.create(
        event_type="convo.created",
        body=b'{"id": 5}',
        signature_valid=True,
        resource_id=5,
    )
    assert drain.queue_recovery_drain()
    queued = _drain_tasks().get()
    assert _args(queued) == [None]
    assert sum(_run_queued_drain(queued).values()) == 1
    assert clock.sleeps == []
