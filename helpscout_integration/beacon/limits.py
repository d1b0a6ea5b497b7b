"""Keep an identity within Beacon's documented limits, so Beacon never rejects it silently.

Beacon 2 documents (SDK references): name 80 characters, company and jobTitle 60, avatar a
valid URL of at most 200, at most 30 custom attributes per user. For custom attributes we
enforce: keys are lowercased identifiers (`[a-z0-9_-]`, up to 100 characters), values are
short strings (numbers and booleans are converted), at most 255 characters. Text that is
too long is trimmed; anything else out of bounds (a bad key, a non-URL avatar, attributes
beyond the 30th, non-scalar values) is dropped. Each change is logged as a warning naming
the field, never its value (values are personal data). Never raises on bad input.
"""

from __future__ import annotations

import logging
import re
from typing import Any

logger = logging.getLogger(__name__)

MAX_NAME = 80
MAX_COMPANY = 60
MAX_JOB_TITLE = 60
MAX_AVATAR = 200
MAX_EMAIL = 254  # RFC 5321 path limit; Beacon needs a usable address to identify at all
MAX_ATTRIBUTES = 30
MAX_ATTRIBUTE_KEY = 100
MAX_ATTRIBUTE_VALUE = 255

_TRIMMED_FIELDS = {"name": MAX_NAME, "company": MAX_COMPANY, "jobTitle": MAX_JOB_TITLE}
_RESERVED = {"name", "email", "company", "jobTitle", "avatar", "signature"}
_KEY = re.compile(r"^[a-z0-9_-]+$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")


def _trim(field: str, value: str, limit: int) -> str:
    if len(value) > limit:
        logger.warning("helpscout: Beacon %s trimmed to %d characters", field, limit)
        return value[:limit]
    return value


def _as_text(value: Any) -> str | None:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str | int | float):
        return str(value)
    return None


def normalize_identity(identity: dict[str, Any]) -> dict[str, Any] | None:
    """The identity Beacon will accept, or None when it has no usable email."""
    email = _as_text(identity.get("email"))
    email = email.strip() if email else ""
    if not email or len(email) > MAX_EMAIL or not _EMAIL.match(email):
        logger.warning("helpscout: Beacon identity has no usable email; Beacon stays anonymous")
        return None
    result: dict[str, Any] = {"email": email}
    for field, limit in _TRIMMED_FIELDS.items():
        value = identity.get(field)
        if value in (None, ""):
            continue
        text = _as_text(value)
        if text is None:
            logger.warning("helpscout: Beacon %s dropped: not text", field)
            continue
        result[field] = _trim(field, text.strip(), limit)
    avatar = identity.get("avatar")
    if avatar not in (None, ""):
        text = _as_text(avatar) or ""
        if not text.startswith(("https://", "http://")) or len(text) > MAX_AVATAR:
            logger.warning(
                "helpscout: Beacon avatar dropped: not an http(s) URL of at most %d characters",
                MAX_AVATAR,
            )
        else:
            result["avatar"] = text
    result.update(_normalize_attributes(identity))
    return result


def _normalize_attributes(identity: dict[str, Any]) -> dict[str, str]:
    attributes: dict[str, str] = {}
    for raw_key, raw_value in identity.items():
        if raw_key in _RESERVED:
            continue
        key = str(raw_key).strip().lower()
        if not _KEY.match(key) or len(key) > MAX_ATTRIBUTE_KEY or key in attributes:
            logger.warning("helpscout: Beacon attribute %.100r dropped: invalid key", raw_key)
            continue
        if raw_value is None:
            continue
        value = _as_text(raw_value)
        if value is None:
            logger.warning("helpscout: Beacon attribute %r dropped: not a short string", key)
            continue
        if len(attributes) >= MAX_ATTRIBUTES:
            logger.warning(
                "helpscout: Beacon attribute %r dropped: more than %d attributes",
                key,
                MAX_ATTRIBUTES,
            )
            continue
        attributes[key] = _trim(f"attribute {key!r}", value, MAX_ATTRIBUTE_VALUE)
    return attributes
