"""A test-only app for the multi-process tests' children: optionally slows each event."""

import os
import time

from django.apps import AppConfig


def _slow(sender, **kwargs):
    time.sleep(int(os.environ["HS_MP_SLOW_MS"]) / 1000)


class MultiProcessTestConfig(AppConfig):
    name = "tests.webhooks.mp_app"
    label = "hs_mp_test"

    def ready(self):
        if os.environ.get("HS_MP_SLOW_MS"):
            from helpscout_integration.signals import webhook_received

            webhook_received.connect(_slow, dispatch_uid="hs-mp-slow")
