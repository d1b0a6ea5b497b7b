"""At a worker's start, one drain is queued for events left waiting (in-process parts).

The end-to-end proof, a worker SIGKILLed mid-batch, is in test_multiprocess.py.
"""

from __future__ import annotations

import pytest
from django_tasks_db.models import DBTaskResult

from helpscout_integration.models import WebhookEvent
from helpscout_integration.webhooks.recovery import is_worker_process, recover

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("argv", "worker"),
    [
        (["manage.py", "db_worker", "--queue-name", "*"], True),
        (["manage.py", "rqworker", "default"], True),
        (["django-admin", "rqworker-pool"], True),
        (["manage.py", "runserver"], False),
        (["gunicorn", "project.wsgi"], False),
        (["manage.py"], False),
    ],
)
def test_worker_processes_are_told_from_web_processes(argv, worker):
    assert is_worker_process(argv) is worker


@pytest.fixture
def db_backend(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_a_worker_start_queues_a_drain_when_events_wait(db_backend):
    assert recover() is False, "nothing waits: nothing queued"
    WebhookEvent.objects.create(event_type="convo.created", body=b"{}", signature_valid=True)
    assert recover() is True
    (row,) = DBTaskResult.objects.all()
    assert row.task_path.endswith("process_received_webhook_events")
    assert row.args_kwargs["args"] == [None], "a recovery drain looks once"
