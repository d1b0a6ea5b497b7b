"""App configuration: registers system checks and signal handlers at start-up, nothing else."""

from django.apps import AppConfig


class HelpScoutIntegrationConfig(AppConfig):
    name = "helpscout_integration"
    label = "helpscout_integration"
    verbose_name = "Help Scout"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the system checks)
        from .beacon import receivers  # noqa: F401  (Beacon rule cache invalidation)
