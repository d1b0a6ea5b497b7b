"""One accessor for the `HELPSCOUT` setting, with defaults, so no module reads settings raw.

The value is rebuilt when Django's `setting_changed` fires, which keeps `override_settings`
and the sandbox's pytest fixture honest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import timedelta
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.module_loading import import_string

DEFAULT_API_BASE_URL = "https://api.helpscout.net/v2"
DEFAULT_DOCS_API_BASE_URL = "https://docsapi.helpscout.net/v1"
DEFAULT_WEB_APP_URL = "https://secure.helpscout.net"
# Beacon 2's embed script; the sandbox serves a stand-in (see docs/sandbox.md).
DEFAULT_BEACON_SCRIPT_URL = "https://beacon-v2.helpscout.net"


@dataclass(frozen=True)
class HelpScoutSettings:
    """Typed view of `settings.HELPSCOUT`; every key is optional."""

    APP_ID: str = ""
    APP_SECRET: str = ""
    # Authorization-code integrations: a refresh token to exchange for access tokens.
    REFRESH_TOKEN: str = ""
    WEBHOOK_SECRET: tuple[str, ...] = ()
    BEACON_ID: str = ""
    BEACON_SECRET_KEY: str = ""
    BEACON_SCRIPT_URL: str = DEFAULT_BEACON_SCRIPT_URL
    DOCS_API_KEY: str = ""
    DYNAMIC_APP_SECRET: str = ""
    # Help Scout's App platform (content callback and Side Panel): the app's secret key.
    # Not APP_SECRET, which is the OAuth secret of the Mailbox API app.
    APP_PLATFORM_SECRET: str = ""
    # Query parameter names that are part of the app's own registered URLs (unsigned).
    APP_PLATFORM_URL_PARAMS: tuple[str, ...] = ()
    API_BASE_URL: str = DEFAULT_API_BASE_URL
    DOCS_API_BASE_URL: str = DEFAULT_DOCS_API_BASE_URL
    TOKEN_URL: str = ""
    WEB_APP_URL: str = DEFAULT_WEB_APP_URL
    RATE_LIMIT_PER_MINUTE: int = 400
    TIMEOUT: float = 30.0
    BEACON_IDENTITY: str = "helpscout_integration.beacon.identity.default_identity"
    CUSTOMER_PROPERTIES: str = ""
    # Dotted path, `(user) -> customer ids or emails` the user owns (default: their email).
    END_USER_OWNERSHIP: str = ""
    DYNAMIC_APP_CONTEXT: str = ""
    # Dotted path, `(user) -> account | None`: the product account a user belongs to.
    ORGANIZATION_OF_USER: str = ""
    # Dotted path, `(account) -> dict` (name, domains, website, description, location,
    # phones, properties): what an account is pushed to Help Scout as (docs/organizations.md).
    ORGANIZATION_FIELDS: str = ""
    # Create a customer property definition for a CUSTOMER_PROPERTIES key Help Scout lacks.
    CREATE_MISSING_PROPERTIES: bool = False
    # Mailbox for conversations opened from the product (default: first mirrored mailbox).
    DEFAULT_MAILBOX_ID: int | None = None
    WEBHOOK_MAX_BODY_BYTES: int = 1024 * 1024
    # Processed and ignored webhook events older than this may be pruned
    # (`helpscout_prune_webhook_events`); a timedelta, days as a number, or "30d"/"12h".
    WEBHOOK_RETENTION: timedelta = timedelta(days=30)
    TASK_BACKEND: str = "default"
    # Erase the matching Help Scout customer (`erasure`, through the task backend) when a
    # product user is deleted. Off by default: deleting a user is not always a request
    # to erase their support history (see docs/privacy.md).
    ERASE_ON_USER_DELETE: bool = False
    # Closed conversations last changed longer ago than this lose their thread bodies and
    # raw JSON (`helpscout_apply_retention`); None keeps everything. Same forms as
    # WEBHOOK_RETENTION ("365d", a number of days, a timedelta).
    MIRROR_RETENTION: timedelta | None = None
    # Default agent id used for replies when a staff user has no matching Help Scout agent.
    DEFAULT_AGENT_ID: int | None = None
    # Admin timeline: load remote <img> from other hosts than Help Scout's? False (show a
    # link instead), True (all), or hostnames ("*.example.com" for subdomains).
    ADMIN_REMOTE_IMAGES: bool | tuple[str, ...] = False
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def token_url(self) -> str:
        return self.TOKEN_URL or self.API_BASE_URL.rstrip("/") + "/oauth2/token"

    @property
    def webhook_secrets(self) -> tuple[str, ...]:
        return tuple(s for s in self.WEBHOOK_SECRET if s)

    @property
    def api_enabled(self) -> bool:
        return bool(self.APP_ID and self.APP_SECRET)

    @property
    def webhooks_enabled(self) -> bool:
        return bool(self.webhook_secrets)

    @property
    def beacon_enabled(self) -> bool:
        return bool(self.BEACON_ID)

    @property
    def docs_enabled(self) -> bool:
        return bool(self.DOCS_API_KEY)

    @property
    def app_platform_enabled(self) -> bool:
        return bool(self.APP_PLATFORM_SECRET)

    def load_callable(self, name: str):
        """Import the dotted path held by setting `name`, or return None when unset."""
        path = getattr(self, name)
        return import_string(path) if path else None

    def __repr__(self) -> str:  # never print secrets, even in a traceback
        return "HelpScoutSettings(<redacted>)"


_KNOWN = set(HelpScoutSettings.__dataclass_fields__) - {"extra"}

_AGE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhdw]?)\s*$")
_AGE_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks", "": "days"}


def parse_age(value: Any) -> timedelta:
    """A positive age from a timedelta, a number of days, or text like "30d", "12h", "90m".

    Raises ValueError (with the accepted forms) for anything else."""
    if isinstance(value, timedelta):
        age = value
    elif isinstance(value, int | float) and not isinstance(value, bool):
        age = timedelta(days=value)
    elif isinstance(value, str) and (match := _AGE.match(value.lower())):
        age = timedelta(**{_AGE_UNITS[match.group(2)]: float(match.group(1))})
    else:
        raise ValueError(
            f"{value!r} is not an age: use a timedelta, a number of days, or a number "
            'with s, m, h, d or w ("30d", "12h").'
        )
    if age <= timedelta(0):
        raise ValueError(f"{value!r} is not a positive age.")
    return age


def _coerce_secrets(value: Any) -> tuple[str, ...]:
    if not value:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value)


def build_settings(raw: dict[str, Any] | None) -> HelpScoutSettings:
    """Build the typed settings from a raw dict; unknown keys are kept in `extra`."""
    raw = dict(raw or {})
    known = {k: v for k, v in raw.items() if k in _KNOWN and v is not None}
    extra = {k: v for k, v in raw.items() if k not in _KNOWN}
    if "WEBHOOK_SECRET" in known:
        known["WEBHOOK_SECRET"] = _coerce_secrets(known["WEBHOOK_SECRET"])
    if "APP_PLATFORM_URL_PARAMS" in known:
        known["APP_PLATFORM_URL_PARAMS"] = _coerce_secrets(known["APP_PLATFORM_URL_PARAMS"])
    images = known.get("ADMIN_REMOTE_IMAGES")
    if isinstance(images, str):
        known["ADMIN_REMOTE_IMAGES"] = (images,)
    elif isinstance(images, list | tuple | set | frozenset):
        known["ADMIN_REMOTE_IMAGES"] = tuple(str(h) for h in images)
    if "WEBHOOK_RETENTION" in known:
        try:
            known["WEBHOOK_RETENTION"] = parse_age(known["WEBHOOK_RETENTION"])
        except ValueError:
            del known["WEBHOOK_RETENTION"]  # the default; system check E007 says why
    if "MIRROR_RETENTION" in known:
        try:
            known["MIRROR_RETENTION"] = parse_age(known["MIRROR_RETENTION"])
        except ValueError:
            del known["MIRROR_RETENTION"]  # None (keep everything); check E032 says why
    for key in ("RATE_LIMIT_PER_MINUTE", "WEBHOOK_MAX_BODY_BYTES"):
        if key in known and isinstance(known[key], str) and known[key].isdigit():
            known[key] = int(known[key])
    return HelpScoutSettings(**known, extra=extra)


@lru_cache(maxsize=1)
def get_settings() -> HelpScoutSettings:
    return build_settings(getattr(settings, "HELPSCOUT", None))


@receiver(setting_changed)
def _reset(setting: str, **kwargs: Any) -> None:
    if setting == "HELPSCOUT":
        get_settings.cache_clear()
