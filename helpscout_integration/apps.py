"""App configuration: registers system checks and signal handlers at start-up, and keeps
signed App platform URLs out of the access logs (`log_redaction`).

In a task worker process it also queues a drain for webhook events left waiting
(`webhooks/recovery.py`); web processes do nothing more.
"""

from django.apps import AppConfig


class HelpScoutIntegrationConfig(AppConfig):
    name = "helpscout_integration"
    label = "helpscout_integration"
    verbose_name = "Help Scout"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the system checks)
        from .beacon import receivers  # noqa: F401  (Beacon rule cache invalidation)
        from .erasure import receivers as erasure_receivers  # noqa: F401  (ERASE_ON_USER_DELETE)
        from .log_redaction import install_on_access_loggers
        from .webhooks import drain  # noqa: F401  (forgets its promise when settings change)
        from .webhooks.recovery import queue_drain_at_worker_start

        install_on_access_loggers()
        queue_drain_at_worker_start()
