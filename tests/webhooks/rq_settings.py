"""Settings for the child processes of the Redis/RQ test: the demo project on RQ.

The web server and the RQ workers started by `test_redis_rq.py` use this module, with
`DATABASE_URL` pointing at the test database the test itself sees and `REDIS_URL` at
the Redis to queue on. Help Scout's API is off so nothing tries to reach it.
"""

import os

from project.settings import *  # noqa: F403
from project.settings import HELPSCOUT, INSTALLED_APPS

REDIS_URL = os.environ["REDIS_URL"]
RQ_QUEUE = os.environ.get("HELPSCOUT_RQ_QUEUE", "default")

INSTALLED_APPS = [*INSTALLED_APPS, "django_rq", "django_tasks_rq"]
RQ_QUEUES = {RQ_QUEUE: {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 60}}
TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": [RQ_QUEUE]}}
# One cache for every process, as across machines: the webhook drain flag is shared.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": os.environ.get("HELPSCOUT_TEST_CACHE_PREFIX", "hs-rq-test"),
    }
}
HELPSCOUT = {
    **HELPSCOUT,
    "APP_ID": "",
    "APP_SECRET": "",
    "WEBHOOK_SECRET": [os.environ["HELPSCOUT_WEBHOOK_SECRET"]],
    "TASK_BACKEND": "default",
}
DEBUG = False
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"helpscout_integration": {"handlers": ["console"], "level": "WARNING"}},
}
