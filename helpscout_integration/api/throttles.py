"""Per-user DRF throttles for the end-user endpoints, with built-in default rates.

Help Scout's rate limit is per account: one busy user must not spend it for everyone.
Reads from the mirror are cheap (`helpscout_read`); writes cost Help Scout requests
(`helpscout_write`). A host overrides a rate with `REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`
under the same scope; nothing needs configuring otherwise.
"""

from __future__ import annotations

from rest_framework.settings import api_settings
from rest_framework.throttling import UserRateThrottle

DEFAULT_RATES = {"helpscout_read": "120/min", "helpscout_write": "10/min"}


class _ScopedUserThrottle(UserRateThrottle):
    scope: str  # every subclass names its scope

    def get_rate(self):
        # Read the host's rates at request time (not import time) and fall back to ours.
        rates = api_settings.DEFAULT_THROTTLE_RATES or {}
        return rates.get(self.scope) or DEFAULT_RATES[self.scope]


class HelpScoutReadThrottle(_ScopedUserThrottle):
    scope = "helpscout_read"


class HelpScoutWriteThrottle(_ScopedUserThrottle):
    scope = "helpscout_write"
