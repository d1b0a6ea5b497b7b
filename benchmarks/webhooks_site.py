"""Settings of the webhook benchmark's server (benchmarks/webhooks.py).

The demo project with the benchmark's URLconf (`webhooks_urls`: the app's URLs plus a
bare one-INSERT view). Tasks go to the database backend, the demo's, so accepting a
delivery costs what it costs in production: the view stores the event and, when no
drain it can rely on is coming, queues one. BENCH_CACHE (`locmem`, `database`, `redis`)
and BENCH_TASKS=rq pick the cache and queue of the freshness run, where a worker runs.
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
HELPSCOUT = {
    **HELPSCOUT,
    "WEBHOOK_SECRET": [os.environ["BENCH_WEBHOOK_SECRET"]],
    "APP_ID": "",  # nothing tries to reach Help Scout
    "APP_SECRET": "",
}
LOGGING = {"version": 1, "disable_existing_loggers": True}
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
CACHES = {
    "locmem": {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
    "database": {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "hs_bench_cache",
        }
    },
    "redis": {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "hs-bench",
        }
    },
}[os.environ.get("BENCH_CACHE", "locmem")]
if os.environ.get("BENCH_TASKS") == "rq":
    from project.settings import INSTALLED_APPS  # noqa: E402

    INSTALLED_APPS = [*INSTALLED_APPS, "django_rq", "django_tasks_rq"]
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 300}}
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
