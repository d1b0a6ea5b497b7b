"""Task backends for the tests: one that is down."""

from helpscout_integration.tasks_compat import BaseTaskBackend


class DownBackend(BaseTaskBackend):
    """A queue that cannot be reached (Redis down, broker gone): every enqueue raises."""

    supports_defer = True

    def enqueue(self, task, args, kwargs):
        raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")
