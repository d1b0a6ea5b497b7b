"""The endpoint Help Scout POSTs webhooks to (`helpscout:webhook`).

It verifies the signature over the raw bytes, stores the delivery as a `WebhookEvent`
and, after commit, makes sure a task will process it (`drain.py`), then answers at once.
It never processes an event in the request, never stores or logs anything from an
unsigned request, and never puts a secret or a body in a log line.

Answers: 405 not POST; 503 webhooks not configured (no `WEBHOOK_SECRET`: nothing could
be verified, and Help Scout retries a 5xx later); 413 body over `WEBHOOK_MAX_BODY_BYTES`;
401 missing or wrong signature (413 and 401 are counted per day, `rejections.py`, with
nothing of the request kept); 400 signed but not a JSON object, or no event name
(stored as `failed` for inspection); 200 stored and queued.

The same signed bytes delivered again (under the same event name) are a repeat: counted
on the first row (`deliveries`, `last_delivered_at`), not stored again, and answered as
the first delivery was (`storage.record_delivery`).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.http import HttpRequest
from rest_framework.authentication import BaseAuthentication
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.parsers import BaseParser
from rest_framework.permissions import AllowAny
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle
from rest_framework.views import APIView

from ..conf import get_settings
from ..models import WebhookEvent, WebhookEventStatus, WebhookRejectionReason
from .delivery import (
    EVENT_HEADER,
    SIGNATURE_HEADER,
    NotAResource,
    kept_headers,
    parse_body,
    resource_id,
)
from .drain import queue_drain
from .processing import announce_failure
from .rejections import count_rejection
from .signature import verify_signature
from .storage import record_delivery

logger = logging.getLogger(__name__)

__all__ = ["WebhookView"]


class BodyTooLarge(Exception):
    pass


def _content_length(request: Request) -> int | None:
    try:
        value = int(request.META.get("CONTENT_LENGTH") or "")
    except ValueError:
        return None
    return value if value >= 0 else None


def _read_body(django_request: HttpRequest, limit: int) -> bytes:
    """The raw body, reading at most `limit + 1` bytes whatever Content-Length claims."""
    cached = getattr(django_request, "_body", None)
    if cached is None:
        cached = django_request.read(limit + 1)
    if len(cached) > limit:
        raise BodyTooLarge
    return bytes(cached)


class JSONOnly(BaseContentNegotiation):
    """Help Scout neither sends a body for a parser to pick nor negotiates the answer:
    skip parsing the Accept header on every delivery and answer JSON."""

    def select_parser(self, request: Request, parsers: Iterable[BaseParser]) -> None:
        return None

    def select_renderer(
        self,
        request: Request,
        renderers: Iterable[BaseRenderer],
        format_suffix: str | None = None,
    ) -> tuple[BaseRenderer, str]:
        renderer = next(iter(renderers))  # renderer_classes holds JSONRenderer alone
        return renderer, renderer.media_type


class WebhookView(APIView):
    """Receive one Help Scout webhook delivery.

    Authentication, permissions and throttling are set explicitly so the host's DRF
    defaults (session auth with CSRF, IsAuthenticated, throttles) never apply: the
    signature is the authentication. No parser is configured and `request.data` is never
    read: the signature covers the bytes as sent, so they are read raw.
    """

    authentication_classes: list[type[BaseAuthentication]] = []
    permission_classes = [AllowAny]
    throttle_classes: list[type[BaseThrottle]] = []
    parser_classes: list[type[BaseParser]] = []
    renderer_classes = [JSONRenderer]
    content_negotiation_class = JSONOnly
    http_method_names = ["post"]

    def post(self, request: Request, *args: object, **kwargs: object) -> Response:
        conf = get_settings()
        if not conf.webhooks_enabled:
            logger.error(
                "Help Scout webhook refused: HELPSCOUT['WEBHOOK_SECRET'] is not set, so no "
                "delivery can be verified."
            )
            return Response({"detail": "Webhooks are not configured."}, status=503)

        limit = conf.WEBHOOK_MAX_BODY_BYTES
        declared = _content_length(request)
        if declared is not None and declared > limit:
            return self._too_large(declared, limit)
        try:
            body = _read_body(request._request, limit)
        except BodyTooLarge:
            return self._too_large(None, limit)

        event_type = (request.headers.get(EVENT_HEADER) or "").strip()
        if not verify_signature(body, request.headers.get(SIGNATURE_HEADER), conf.webhook_secrets):
            count_rejection(
                WebhookRejectionReason.INVALID_SIGNATURE
                if request.headers.get(SIGNATURE_HEADER)
                else WebhookRejectionReason.MISSING_SIGNATURE
            )
            logger.warning(
                "Help Scout webhook rejected: %s signature (event %r, %d bytes, from %s).",
                "invalid" if request.headers.get(SIGNATURE_HEADER) else "missing",
                event_type[:100],
                len(body),
                request.META.get("REMOTE_ADDR", "?"),
            )
            return Response({"detail": "Invalid signature."}, status=401)

        event = WebhookEvent(
            event_type=event_type[:100],
            body=body,
            headers=kept_headers(request.headers),
            signature_valid=True,
        )
        try:
            data = parse_body(body)
            if not event_type:
                raise NotAResource(f"The {EVENT_HEADER} header is missing.")
        except NotAResource as exc:
            event.status = WebhookEventStatus.FAILED
            event.error = str(exc)
            delivery = record_delivery(event, reopen=False)  # the same bytes fail again
            logger.warning(
                "Help Scout webhook #%s %s as failed: %s",
                delivery.pk,
                "counted again" if delivery.repeat else "stored",
                exc,
            )
            if not delivery.repeat:
                announce_failure(delivery.pk)
            return Response({"detail": str(exc), "event": delivery.pk}, status=400)

        event.resource_id = resource_id(data)
        # One statement, committed on its own (or with ATOMIC_REQUESTS): a new row, or a
        # repeat counted on the first (which a repeat may make `received` again).
        delivery = record_delivery(event)
        if delivery.status == WebhookEventStatus.RECEIVED:
            queue_drain()  # after commit: a drain task processes it and any others waiting
        if delivery.repeat:
            return Response({"event": delivery.pk, "repeat": True}, status=200)
        return Response({"event": delivery.pk}, status=200)

    def _too_large(self, declared: int | None, limit: int) -> Response:
        count_rejection(WebhookRejectionReason.TOO_LARGE)
        logger.warning(
            "Help Scout webhook rejected: body of %s bytes is over the %d-byte limit.",
            declared if declared is not None else "more than the limit",
            limit,
        )
        return Response({"detail": f"Body over {limit} bytes."}, status=413)
