"""The demo product's own pages: an end-user home page that renders Help Scout's Beacon.

The demo points `BEACON_SCRIPT_URL` at the sandbox's Beacon stand-in, so the widget works
offline; in DEBUG the page also offers the config Beacon receives behind a "details"
toggle. Nothing here talks to Help Scout.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.shortcuts import render

from helpscout_integration.beacon.config import build_config

BEACON_SUBJECT = "Question from the demo product"


def home(request):
    context = {"beacon_subject": BEACON_SUBJECT}
    if settings.DEBUG:
        config = build_config(request, prefill_subject=BEACON_SUBJECT)
        context["beacon_debug"] = json.dumps(config, indent=2) if config else None
    return render(request, "home.html", context)
