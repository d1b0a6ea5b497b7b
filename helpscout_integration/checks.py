"""System checks that say precisely which Help Scout feature is off or misconfigured, and why.

Ids: helpscout.E001-E0xx are errors (the app cannot work as configured), W001-W0xx are
warnings (a feature is off or half-configured). Messages never include secret values.
"""

from __future__ import annotations

import logging
from urllib.parse import urlparse

from django.conf import settings
from django.core import checks
from django.utils.module_loading import import_string

from .conf import _KNOWN, build_settings, parse_age

TAG = "helpscout"
logger = logging.getLogger(__name__)


def _raw() -> object:
    return getattr(settings, "HELPSCOUT", None)


@checks.register(TAG)
def check_settings_shape(app_configs=None, **kwargs):
    raw = _raw()
    if raw is None:
        return [
            checks.Warning(
                "settings.HELPSCOUT is not defined: every Help Scout feature is off.",
                hint="Add a HELPSCOUT dict to your settings (see docs/settings.md).",
                id="helpscout.W001",
            )
        ]
    if not isinstance(raw, dict):
        return [
            checks.Error(
                "settings.HELPSCOUT must be a dict.",
                hint=f"It is a {type(raw).__name__}.",
                id="helpscout.E001",
            )
        ]
    errors: list[checks.CheckMessage] = []
    unknown = sorted(set(raw) - _KNOWN)
    if unknown:
        errors.append(
            checks.Warning(
                f"settings.HELPSCOUT has unknown keys: {', '.join(unknown)}.",
                hint="Check the spelling against docs/settings.md.",
                id="helpscout.W002",
            )
        )
    for key in ("RATE_LIMIT_PER_MINUTE", "WEBHOOK_MAX_BODY_BYTES"):
        if key in raw:
            try:
                ok = int(raw[key]) > 0
            except (TypeError, ValueError):
                ok = False
            if not ok:
                errors.append(
                    checks.Error(
                        f"HELPSCOUT['{key}'] must be a positive integer.",
                        id="helpscout.E002",
                    )
                )
    if "TIMEOUT" in raw:
        try:
            ok = float(raw["TIMEOUT"]) > 0
        except (TypeError, ValueError):
            ok = False
        if not ok:
            errors.append(
                checks.Error(
                    "HELPSCOUT['TIMEOUT'] must be a positive number of seconds.",
                    id="helpscout.E003",
                )
            )
    for key in (
        "API_BASE_URL",
        "DOCS_API_BASE_URL",
        "TOKEN_URL",
        "WEB_APP_URL",
        "BEACON_SCRIPT_URL",
    ):
        value = raw.get(key)
        if value:
            parsed = urlparse(str(value))
            if parsed.scheme not in ("http", "https") or not parsed.netloc:
                errors.append(
                    checks.Error(
                        f"HELPSCOUT['{key}'] is not an http(s) URL.",
                        id="helpscout.E004",
                    )
                )
    for key in (
        "BEACON_IDENTITY",
        "CUSTOMER_PROPERTIES",
        "DYNAMIC_APP_CONTEXT",
        "END_USER_OWNERSHIP",
        "ORGANIZATION_FIELDS",
        "ORGANIZATION_OF_USER",
    ):
        value = raw.get(key)
        if value:
            try:
                obj = import_string(str(value))
            except ImportError as exc:
                errors.append(
                    checks.Error(
                        f"HELPSCOUT['{key}'] cannot be imported: {exc}.",
                        hint="Give a dotted path to a callable.",
                        id="helpscout.E005",
                    )
                )
            else:
                if not callable(obj):
                    errors.append(
                        checks.Error(f"HELPSCOUT['{key}'] is not callable.", id="helpscout.E005")
                    )
    if raw.get("WEBHOOK_RETENTION") is not None:
        try:
            parse_age(raw["WEBHOOK_RETENTION"])
        except ValueError as exc:
            errors.append(
                checks.Error(
                    f"HELPSCOUT['WEBHOOK_RETENTION'] is invalid: {exc}", id="helpscout.E007"
                )
            )
    if raw.get("MIRROR_RETENTION") is not None:
        try:
            parse_age(raw["MIRROR_RETENTION"])
        except ValueError as exc:
            errors.append(
                checks.Error(
                    f"HELPSCOUT['MIRROR_RETENTION'] is invalid: {exc}",
                    hint="Until it is fixed, helpscout_apply_retention refuses to run.",
                    id="helpscout.E032",
                )
            )
    secret = raw.get("WEBHOOK_SECRET")
    if secret and not isinstance(secret, str | list | tuple):
        errors.append(
            checks.Error(
                "HELPSCOUT['WEBHOOK_SECRET'] must be a string or a list of strings.",
                id="helpscout.E006",
            )
        )
    names = raw.get("APP_PLATFORM_URL_PARAMS")
    if names is not None and (
        not isinstance(names, list | tuple)
        or not all(isinstance(n, str) and n for n in names)
        or any(n.lower() == "x-helpscout-signature" for n in names)
    ):
        errors.append(
            checks.Error(
                "HELPSCOUT['APP_PLATFORM_URL_PARAMS'] must be a list of query parameter "
                "names (not the signature itself).",
                hint="List only the parameters you put in the app's registered URLs.",
                id="helpscout.E012",
            )
        )
    return errors


@checks.register(TAG)
def check_features(app_configs=None, **kwargs):
    raw = _raw()
    if not isinstance(raw, dict):
        return []
    conf = build_settings(raw)
    messages: list[checks.CheckMessage] = []
    if bool(conf.ORGANIZATION_OF_USER) != bool(conf.ORGANIZATION_FIELDS):
        messages.append(
            checks.Warning(
                "HELPSCOUT sets only one of ORGANIZATION_OF_USER and ORGANIZATION_FIELDS; "
                "product accounts are pushed as organizations only with both.",
                hint="See docs/organizations.md.",
                id="helpscout.W030",
            )
        )
    if bool(conf.APP_ID) != bool(conf.APP_SECRET):
        messages.append(
            checks.Error(
                "HELPSCOUT needs both APP_ID and APP_SECRET for the Mailbox API; one is missing.",
                id="helpscout.E010",
            )
        )
    elif not conf.api_enabled:
        messages.append(
            checks.Warning(
                "Help Scout API is off: HELPSCOUT['APP_ID'] and ['APP_SECRET'] are not set "
                "(sync, admin actions and webhook management need them).",
                id="helpscout.W010",
            )
        )
    if not conf.webhooks_enabled:
        messages.append(
            checks.Warning(
                "Webhooks are off: HELPSCOUT['WEBHOOK_SECRET'] is not set, so the webhook "
                "view refuses every delivery.",
                id="helpscout.W011",
            )
        )
    elif any(len(s) > 40 for s in conf.webhook_secrets):
        messages.append(
            checks.Error(
                "A HELPSCOUT['WEBHOOK_SECRET'] is longer than 40 characters; Help Scout "
                "accepts at most 40.",
                id="helpscout.E011",
            )
        )
    if conf.BEACON_SECRET_KEY and not conf.BEACON_ID:
        messages.append(
            checks.Warning(
                "HELPSCOUT['BEACON_SECRET_KEY'] is set but BEACON_ID is not: Beacon is off.",
                id="helpscout.W012",
            )
        )
    elif conf.BEACON_ID and not conf.BEACON_SECRET_KEY:
        messages.append(
            checks.Warning(
                "Beacon secure mode is off: HELPSCOUT['BEACON_SECRET_KEY'] is not set, so "
                "identified users cannot see their previous conversations.",
                id="helpscout.W013",
            )
        )
    if conf.DYNAMIC_APP_CONTEXT and not (conf.DYNAMIC_APP_SECRET or conf.APP_PLATFORM_SECRET):
        messages.append(
            checks.Warning(
                "HELPSCOUT['DYNAMIC_APP_CONTEXT'] is set but no sidebar endpoint is on: "
                "set APP_PLATFORM_SECRET (App platform) or DYNAMIC_APP_SECRET (legacy).",
                id="helpscout.W014",
            )
        )
    if conf.APP_PLATFORM_SECRET and conf.APP_PLATFORM_SECRET == conf.APP_SECRET:
        messages.append(
            checks.Warning(
                "HELPSCOUT['APP_PLATFORM_SECRET'] equals APP_SECRET: the App platform signs "
                "with the secret key typed into the app's form, not the OAuth app secret.",
                hint="Use the key from Manage > Apps > your app (see docs/dynamic-app.md).",
                id="helpscout.W015",
            )
        )
    return messages


WEBHOOK_WAIT_WARNING = 60
"""Seconds after which a `received` webhook event means no drain is coming (check W020)."""


def oldest_waiting_webhook_seconds(using: str = "default") -> float | None:
    """How long the oldest `received` event has waited, in seconds; None if none waits."""
    from django.utils import timezone

    from .models import WebhookEvent, WebhookEventStatus

    oldest = (
        WebhookEvent.objects.using(using)
        .filter(status=WebhookEventStatus.RECEIVED, signature_valid=True)
        .order_by("received_at")
        .values_list("received_at", flat=True)
        .first()
    )
    return None if oldest is None else (timezone.now() - oldest).total_seconds()


@checks.register(TAG, checks.Tags.database)
def check_webhook_backlog(app_configs=None, databases=None, **kwargs):
    """Events waiting with no drain; run by `migrate` and `check --database default`.

    Django 6.1 also runs database-tagged checks on every database whenever checks are
    asked for by tag (`check --tag helpscout`, `run_checks(tags=...)`), so this check must
    never need a database it cannot have: before `migrate` (no table), in a build step
    with no database server, or where a test forbids queries, it says nothing. The
    backlog is advice about a running deployment; a check that raised would abort the
    whole `check` instead.
    """
    messages: list[checks.CheckMessage] = []
    for alias in databases or ():
        waited = _waited_or_none(alias)
        if waited is not None and waited > WEBHOOK_WAIT_WARNING:
            messages.append(
                checks.Warning(
                    f"A Help Scout webhook event has waited {waited:.0f} s to be processed "
                    f"(database {alias!r}).",
                    hint="Is a task worker running for HELPSCOUT['TASK_BACKEND']? "
                    "`manage.py helpscout_process_webhooks` processes what waits.",
                    id="helpscout.W020",
                )
            )
    return messages


def _waited_or_none(alias: str) -> float | None:
    """`oldest_waiting_webhook_seconds`, or None when the database cannot be read here."""
    from django.db import transaction

    try:
        # A savepoint: on PostgreSQL a failed query (no table yet) would otherwise spoil
        # the transaction the caller is in.
        with transaction.atomic(using=alias):
            return oldest_waiting_webhook_seconds(alias)
    except Exception as exc:  # no table, no server, or queries forbidden: nothing to say
        logger.debug("webhook backlog not checked on database %r: %s", alias, type(exc).__name__)
        return None


@checks.register(TAG)
def check_task_backends(app_configs=None, **kwargs):
    """A `TASKS` backend that cannot run this app's tasks would strand every event.

    On Django 6 this app's tasks are `django.tasks` tasks: the django-tasks backport's own
    backends build tasks that django.tasks workers reject, so webhook events would wait
    for ever (tasks_compat.mismatched_backends says precisely when). On Django 5.2 a
    `django.tasks` backend does not exist.
    """
    from .tasks_compat import (
        IMMEDIATE_BACKEND,
        TASKS_PACKAGE,
        matching_backend,
        mismatched_backends,
    )

    tasks_setting = getattr(settings, "TASKS", None)
    if not isinstance(tasks_setting, dict):
        return []
    messages: list[checks.CheckMessage] = []
    for alias, path, why in mismatched_backends(tasks_setting):
        if why == "default":
            msg = (
                f"TASKS[{alias!r}]['BACKEND'] = {path!r} runs only {TASKS_PACKAGE} tasks, but "
                "this app's tasks take their class from TASKS['default'], a backend built on "
                f"the other tasks package: Help Scout webhook events and pushes queued on "
                f"{alias!r} would fail in its worker."
            )
            hint = f"Make TASKS['default'] a {TASKS_PACKAGE} backend, e.g. {IMMEDIATE_BACKEND!r}."
        else:
            if TASKS_PACKAGE == "django.tasks":
                why_text = (
                    "is the django-tasks backport's, but on Django 6 tasks run on django.tasks"
                )
            else:
                why_text = "is built on django.tasks, which Django 5.2 does not have"
            msg = (
                f"TASKS[{alias!r}]['BACKEND'] = {path!r} {why_text}: Help Scout webhook events "
                "and pushes queued there would never run."
            )
            instead = matching_backend(path)
            hint = (
                f"Set it to {instead!r}."
                if instead
                else f"Use a backend built on {TASKS_PACKAGE} (django-tasks-db suits both)."
            )
        messages.append(checks.Error(msg, hint=hint, id="helpscout.E013"))
    return messages
