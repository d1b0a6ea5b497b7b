"""Staff download of a conversation's attachments, through this product (never a Help
Scout web URL): `<conversation>/attachments/<id>/` checks `download_attachment` and the
user's view permission on the conversation, finds the file among the conversation's
mirrored threads, and streams it from Help Scout's API (see `downloads`).

A file whose scan state is not `valid` is offered only after a warning page and an
explicit "download anyway"; thumbnails (`?inline=1`) are served for valid raster images
only. Each explicit download is recorded in the conversation's History (LogEntry).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from ..downloads import find_attachment, stream_attachment
from ..exceptions import HelpScoutError, NotFoundError
from .operations import describe_error

APP = "helpscout_integration"
PERMISSION = f"{APP}.download_attachment"


def attachment_urls(model_admin) -> list:
    prefix = f"{APP}_conversation"
    return [
        path(
            "<path:object_id>/attachments/<int:attachment_id>/",
            model_admin.admin_site.admin_view(
                lambda request, object_id, attachment_id: attachment_view(
                    model_admin, request, object_id, attachment_id
                )
            ),
            name=f"{prefix}_attachment",
        )
    ]


def attachment_view(model_admin, request, object_id: str, attachment_id: int):
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied
    conversation = model_admin.get_object(request, unquote(object_id))
    if conversation is None:
        raise Http404
    if not model_admin.has_view_or_change_permission(request, conversation):
        raise PermissionDenied
    found = find_attachment(
        conversation.threads.only("id", "conversation_id", "attachments"), attachment_id
    )
    if found is None:
        raise Http404("No such attachment on this conversation.")
    info, _thread = found
    inline = request.GET.get("inline") == "1"
    change_url = reverse(
        f"{model_admin.admin_site.name}:{APP}_conversation_change", args=[conversation.pk]
    )
    if inline and not info.can_thumbnail:
        return HttpResponse(status=404)
    if not info.is_valid and request.GET.get("accept_risk") != "1":
        context = {
            **model_admin.admin_site.each_context(request),
            "opts": model_admin.model._meta,
            "conversation": conversation,
            "attachment": info,
            "change_url": change_url,
            "download_url": request.path + "?accept_risk=1",
            "title": f"Unsafe attachment: {info.filename}",
        }
        return TemplateResponse(
            request, f"admin/{APP}/conversation/attachment_warning.html", context
        )
    try:
        response = stream_attachment(conversation.pk, info, inline=inline)
    except HelpScoutError as exc:
        if inline:
            return HttpResponse(status=404 if isinstance(exc, NotFoundError) else 502)
        reason = (
            "Help Scout does not serve this file (it may have been flagged by its scan, or "
            "deleted)."
            if isinstance(exc, NotFoundError)
            else describe_error(exc)
        )
        messages.error(request, f"Could not download {info.filename}: {reason}")
        return HttpResponseRedirect(change_url)
    if not inline:
        state = info.state or "unknown"
        risk = "" if info.is_valid else f", downloaded despite the warning (state {state})"
        model_admin.log_change(
            request, conversation, f"Downloaded attachment {info.filename} (#{info.id}){risk}"
        )
    return response
