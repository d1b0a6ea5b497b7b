"""Keep signed App platform URLs out of access logs: a logging filter that redacts the
`X-HelpScout-Signature` query parameter from every record it sees.

Help Scout's App platform signs its callback URLs (`dynamic_app/query_signature.py`) and
the signature covers no timestamp: a logged URL can be replayed until the secret
changes. Access logs (runserver's `django.server`, gunicorn's `gunicorn.access`) write
the full request line, so the app installs this filter on those two loggers at start-up
(`apps.py`); for any other server, add it to your `LOGGING` (docs/dynamic-app.md).
Never raises and never drops a record: it only rewrites the text.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from .dynamic_app.query_signature import SIGNATURE_PARAM

REDACTED = "[redacted]"
ACCESS_LOGGERS = ("django.server", "gunicorn.access")

# The parameter, raw or percent-encoded in its name, up to the next separator.
_SIGNED = re.compile(
    r"(?i)((?:^|[?&;\s\"'])" + re.escape(SIGNATURE_PARAM).replace("\\-", "(?:-|%2D)") + r"=)"
    r"[^&;\s\"'#]*"
)


def redact(text: str) -> str:
    """`text` with every signature parameter's value replaced by `[redacted]`."""
    return _SIGNED.sub(lambda match: match.group(1) + REDACTED, text)


def _redacted(value: Any) -> Any:
    return redact(value) if isinstance(value, str) and "=" in value else value


class RedactSignedUrls(logging.Filter):
    """Redacts signed URLs in a record. In `LOGGING["filters"]`:
    `{"()": "helpscout_integration.log_redaction.RedactSignedUrls"}`."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = _redacted(record.msg)
        if isinstance(record.args, dict):
            record.args = {key: _redacted(value) for key, value in record.args.items()}
        elif isinstance(record.args, tuple):
            record.args = tuple(_redacted(value) for value in record.args)
        return True


def install_on_access_loggers() -> None:
    """Add the filter to the access loggers (once each; safe to call again)."""
    for name in ACCESS_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactSignedUrls) for f in logger.filters):
            logger.addFilter(RedactSignedUrls())
