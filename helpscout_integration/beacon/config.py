"""The JSON config the Beacon loader applies: `beaconId`, `identify`, `prefill`, `suggest`
(and `scriptUrl`, where it loads Beacon from).

Built per request from settings, the identity callable, cached suggestion rules and the
tag's arguments. Never performs HTTP; once the rule cache is warm, never queries the
database. The secret key is used to sign and never copied into the config.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping
from typing import Any

from ..conf import DEFAULT_BEACON_SCRIPT_URL, get_settings
from ..emails import Refusal, refusal
from .identity import resolve_identity
from .limits import MAX_NAME, normalize_identity
from .signature import sign_email
from .suggestions import MAX_SUGGESTIONS, suggestions_for_path

logger = logging.getLogger(__name__)

_ARTICLE_ID = re.compile(r"^[0-9A-Za-z_-]{1,64}$")
MAX_SUBJECT = 255  # our bound on prefill text fields; Beacon's form takes short subjects
MAX_TEXT = 10_000


def identity_or_refusal(request: Any) -> tuple[dict[str, Any] | None, Refusal | None]:
    """The `identify` payload (signed in secure mode) and, when there is none because the
    identity rule refused the address, why (`emails.refusal`).

    The signature covers exactly the `email` string the payload carries: Help Scout
    compares the two, and signing any other spelling (lower-cased, normalised) would
    either break secure mode or vouch for an address the visitor does not send. An
    address Help Scout might fold onto another customer's is never signed: Beacon renders
    without identity and the reason (never the address) is logged.
    """
    conf = get_settings()
    raw_identity = resolve_identity(request)
    identity = normalize_identity(raw_identity) if raw_identity else None
    if identity is None:
        return None, None
    refused = refusal(identity["email"])
    if refused is not None:
        logger.warning(
            "helpscout: Beacon stays anonymous: the visitor's email address %s (refusal: %s)",
            refused.reason,
            refused.code,
        )
        return None, refused
    if conf.BEACON_SECRET_KEY:
        identity["signature"] = sign_email(conf.BEACON_SECRET_KEY, identity["email"])
    return identity, None


def signed_identity(request: Any) -> dict[str, Any] | None:
    """The `identify` payload for this request (signed in secure mode), or None if anonymous.

    Shared by the web tag and the mobile `api/me/beacon-identity/` endpoint so both
    always sign exactly the same identity.
    """
    return identity_or_refusal(request)[0]


def build_config(
    request: Any,
    *,
    suggest: Any = None,
    prefill_subject: str | None = None,
    prefill_text: str | None = None,
    prefill_fields: Any = None,
) -> dict[str, Any] | None:
    """The config for this request, or None when Beacon is off (no `BEACON_ID`)."""
    conf = get_settings()
    if not conf.BEACON_ID:
        return None
    identity = signed_identity(request)
    if suggest is None:
        path = getattr(request, "path", "") or ""
        suggestions: list[Any] = suggestions_for_path(path) if path else []
    else:
        suggestions = parse_suggest(suggest)
    return {
        "beaconId": conf.BEACON_ID,
        # Where the loader fetches Beacon from: Help Scout's script, or a stand-in.
        "scriptUrl": conf.BEACON_SCRIPT_URL or DEFAULT_BEACON_SCRIPT_URL,
        "identify": identity,
        "prefill": build_prefill(identity, prefill_subject, prefill_text, prefill_fields),
        "suggest": suggestions,
    }


def build_prefill(
    identity: dict[str, Any] | None,
    subject: str | None,
    text: str | None,
    fields: Any,
) -> dict[str, Any] | None:
    """Contact-form prefill: name and email from the identity, subject/text/fields given."""
    prefill: dict[str, Any] = {}
    if identity:
        if identity.get("name"):
            prefill["name"] = identity["name"][:MAX_NAME]
        prefill["email"] = identity["email"]
    if subject:
        prefill["subject"] = str(subject)[:MAX_SUBJECT]
    if text:
        prefill["text"] = str(text)[:MAX_TEXT]
    parsed_fields = parse_fields(fields)
    if parsed_fields:
        prefill["fields"] = parsed_fields
    return prefill or None


def parse_fields(fields: Any) -> list[dict[str, Any]]:
    """Custom fields as Beacon wants them, `[{"id": 123, "value": "..."}]`.

    Accepts that list or a mapping `{field_id: value}`; entries without a numeric id are
    dropped with a warning.
    """
    if not fields:
        return []
    items: Iterable[Any]
    if isinstance(fields, Mapping):
        items = ({"id": k, "value": v} for k, v in fields.items())
    elif isinstance(fields, list | tuple):
        items = fields
    else:
        logger.warning("helpscout: Beacon prefill fields ignored: not a list or mapping")
        return []
    result = []
    for item in items:
        field_id = item.get("id") if isinstance(item, Mapping) else None
        if isinstance(field_id, str) and field_id.isdigit():
            field_id = int(field_id)
        if not isinstance(field_id, int) or isinstance(field_id, bool):
            logger.warning("helpscout: Beacon prefill field dropped: needs a numeric id")
            continue
        value = item.get("value")
        result.append({"id": field_id, "value": "" if value is None else value})
    return result


def parse_suggest(suggest: Any) -> list[Any]:
    """The tag's `suggest` argument: "id1,id2", a list of ids, or `{text, url}` links.

    An empty value means "no suggestions on this page" (it overrides the rules).
    """
    if isinstance(suggest, str):
        items: Iterable[Any] = (part.strip() for part in suggest.split(","))
    elif isinstance(suggest, Iterable):
        items = suggest
    else:
        items = [suggest]
    result: list[Any] = []
    for item in items:
        if isinstance(item, Mapping):
            text, url = item.get("text"), item.get("url")
            if isinstance(text, str) and isinstance(url, str) and url.startswith("https://"):
                result.append({"text": text, "url": url})
            else:
                logger.warning("helpscout: Beacon suggestion dropped: links need text and https")
        elif item not in (None, ""):
            article_id = str(item).strip()
            if _ARTICLE_ID.match(article_id) and article_id not in result:
                result.append(article_id)
            elif article_id not in result:
                logger.warning("helpscout: Beacon suggestion %.40r dropped: not an id", item)
    return result[:MAX_SUGGESTIONS]
