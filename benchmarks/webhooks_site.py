"""Settings of the webhook benchmark's server (benchmarks/webhooks.py).

The demo project with the benchmark's URLconf (`webhooks_urls`: the app's URLs plus a
bare one-INSERT view). Tasks go to the database backend, the demo's, so accepting a
delivery costs what it costs in production: the view stores the event and, when no
drain task is waiting, queues one; no worker runs, nothing is processed. With
BENCH_CACHE=dummy the drain flag is never set, so every delivery queues a task.
"""

import os

os.environ.setdefault("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")

from project.settings import *  # noqa: E402, F403
from project.settings import DATABASES, HELPSCOUT  # noqa: E402

DEBUG = False
# Persistent connections, as production Django on PostgreSQL runs (or behind pgbouncer):
# with a new connection per request, PostgreSQL rebuilds its per-connection catalog cache
# for every table a request touches, which measures connection setup, not the views.
DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("BENCH_CONN_MAX_AGE", "600"))
ROOT_URLCONF = "webhooks_urls"
HELPSCOUT = {**HELPSCOUT, "WEBHOOK_SECRET": [os.environ["BENCH_WEBHOOK_SECRET"]]}
LOGGING = {"version": 1, "disable_existing_loggers": True}
if os.environ.get("BENCH_CACHE") == "dummy":
    # No shared flag: every delivery queues its own drain task (the uncoalesced bound).
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
