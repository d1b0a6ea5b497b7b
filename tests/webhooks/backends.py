"""Task backends for the tests: one that is down."""

try:  # Django >= 6.0
    from django.tasks.backends.base import BaseTaskBackend  # type: ignore
except ImportError:  # the django-tasks backport
    from django_tasks.backends.base import BaseTaskBackend  # type: ignore


class DownBackend(BaseTaskBackend):
    """A queue that cannot be reached (Redis down, broker gone): every enqueue raises."""

    supports_defer = True

    def enqueue(self, task, args, kwargs):
        raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")
