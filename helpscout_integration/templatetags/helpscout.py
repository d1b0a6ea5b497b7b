"""`{% helpscout_beacon %}`: Help Scout's Beacon with identity, prefill and suggestions.

Renders a JSON config element (escaped as `json_script` does: safe inside HTML whatever
the values) and a static loader script carrying the request's CSP nonce; no inline
executable script.
Renders nothing when `BEACON_ID` is unset. Never performs HTTP; warm, never queries.
"""

from __future__ import annotations

import json
from functools import lru_cache

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.templatetags.static import static
from django.utils.html import escape
from django.utils.safestring import SafeString

from ..beacon.config import build_config
from ..beacon.csp import get_csp_nonce

register = template.Library()

CONFIG_ELEMENT_ID = "helpscout-beacon-config"
LOADER = "helpscout_integration/beacon.js"


@register.simple_tag(takes_context=True)
def helpscout_beacon(
    context,
    suggest=None,
    prefill_subject=None,
    prefill_text=None,
    prefill_fields=None,
) -> str:
    """The Beacon config and loader for this request ("" when Beacon is off).

    `suggest` ("id1,id2", a list of ids or `{text, url}` links) replaces the suggestions
    of the matching rule; `prefill_subject`, `prefill_text` and `prefill_fields`
    (`{field_id: value}`) prefill the contact form.
    """
    request = context.get("request")
    config = build_config(
        request,
        suggest=suggest,
        prefill_subject=prefill_subject,
        prefill_text=prefill_text,
        prefill_fields=prefill_fields,
    )
    if config is None:
        return ""
    nonce = get_csp_nonce(request, context)
    nonce_attribute = f' nonce="{escape(nonce)}"' if nonce else ""
    loader = f'<script src="{loader_url()}" defer{nonce_attribute}></script>'
    return SafeString(f"{config_element(config)}\n{loader}")


# What `django.utils.html.json_script` escapes: with `<`, `>` and `&` as \u escapes no
# value can close the element or open a comment, and JSON.parse restores them unchanged.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def config_element(config: dict) -> str:
    """The config as `json_script` renders it, without its lazy-string overhead per call."""
    payload = json.dumps(config, cls=DjangoJSONEncoder).translate(_JSON_SCRIPT_ESCAPES)
    return f'<script id="{CONFIG_ELEMENT_ID}" type="application/json">{payload}</script>'


@lru_cache(maxsize=1)
def loader_url() -> str:
    """The loader's static URL (escaped), resolved once: storage lookups cost per render."""
    return escape(static(LOADER))


@receiver(setting_changed)
def _static_changed(setting: str, **kwargs) -> None:
    if setting in {"STATIC_URL", "STORAGES", "STATICFILES_STORAGE", "FORCE_SCRIPT_NAME"}:
        loader_url.cache_clear()
