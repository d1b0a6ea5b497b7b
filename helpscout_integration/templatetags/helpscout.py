"""`{% helpscout_beacon %}`: Help Scout's Beacon with identity, prefill and suggestions.

Renders a JSON config element (`json_script`: safe inside HTML whatever the values) and
a static loader script carrying the request's CSP nonce; no inline executable script.
Renders nothing when `BEACON_ID` is unset. Never performs HTTP; warm, never queries.
"""

from __future__ import annotations

from django import template
from django.templatetags.static import static
from django.utils.html import format_html, json_script
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
    if nonce:
        loader = format_html('<script src="{}" defer nonce="{}"></script>', static(LOADER), nonce)
    else:
        loader = format_html('<script src="{}" defer></script>', static(LOADER))
    return SafeString(json_script(config, CONFIG_ELEMENT_ID) + "\n" + loader)
