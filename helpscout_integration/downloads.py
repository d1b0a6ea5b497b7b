"""Serving a Help Scout attachment to a browser: find it in the mirror, stream its bytes.

Both the staff admin and the end-user API use this one path. The bytes come from Help
Scout's API download endpoint (`/file`) through the client and go out chunk by chunk in a
`StreamingHttpResponse`, so a 10 MB file never sits whole in memory. Callers check who may
see the conversation first; this module never decides that, never builds a Help Scout
web file URL, and never serves a file inline unless it is a raster image whose scan said
valid (anything else is a download, with `nosniff`, so a browser cannot run it).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator

from django.http import StreamingHttpResponse
from django.utils.http import content_disposition_header

from .payloads.attachment import AttachmentInfo, parse_attachments

# A person is waiting for the file: give up soon rather than sleep out a rate limit.
MAX_RATE_LIMIT_WAIT = 5.0


def find_attachment(threads: Iterable, attachment_id: int) -> tuple[AttachmentInfo, object] | None:
    """The attachment with this id among `threads` (mirror rows), with its thread."""
    for thread in threads:
        for info in parse_attachments(thread.attachments):
            if info.id == attachment_id:
                return info, thread
    return None


def _client():
    from .client import HelpScoutClient  # late: the admin and API load without httpx calls

    return HelpScoutClient.from_settings(max_rate_limit_wait=MAX_RATE_LIMIT_WAIT, max_retries=1)


def stream_attachment(
    conversation_id: int, info: AttachmentInfo, *, inline: bool = False, client=None
) -> StreamingHttpResponse:
    """Open the file at Help Scout and answer with its bytes as they arrive.

    Raises the client's errors (`NotFoundError` when Help Scout will not serve it, e.g. a
    flagged file; `HelpScoutError` otherwise) before any byte is sent, so the caller can
    answer with a page instead.
    """
    assert info.id is not None
    stack = contextlib.ExitStack()
    try:
        if client is None:
            client = stack.enter_context(_client())
        download = stack.enter_context(client.attachments.open_file(conversation_id, info.id))
    except BaseException:
        stack.close()
        raise

    def chunks() -> Iterator[bytes]:
        with stack:
            yield from download.chunks()

    show_inline = inline and info.can_thumbnail
    response = StreamingHttpResponse(
        chunks(),
        content_type=info.mime_type if show_inline else _download_type(download.content_type),
    )
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=not show_inline, filename=info.filename
    ) or ("inline" if show_inline else "attachment")
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "private, no-store"
    if download.content_length is not None:
        response["Content-Length"] = str(download.content_length)
    return response


def _download_type(content_type: str) -> str:
    """Help Scout's type for a download, without parameters a browser might act on."""
    main = content_type.split(";", 1)[0].strip().lower()
    return main if "/" in main else "application/octet-stream"
