"""Staff page: what Help Scout's sidebar (and Side Panel) would show for a conversation.

It requests the product's own App platform views in-process, signed with
`APP_PLATFORM_SECRET` exactly as Help Scout signs them, and shows each answer in a
sandboxed `srcdoc` iframe (no scripts, no same-origin). The signed URL never leaves the
server: the signature has no expiry, so a URL handed to a browser would stay valid. No
`APP_PLATFORM_SECRET`: the page says the App platform is off. Never calls Help Scout.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import urlencode

from ..conf import get_settings
from ..dynamic_app.platform_views import AppContentView, AppPanelView
from ..dynamic_app.query_signature import signed_query
from ..models import Conversation
from .customer_visibility import can_view_customers, hidden_reason
from .filters import agent_for_user


def _agent_id(user) -> int | None:
    """The staff user's agent id by Help Scout's email rules (as replies use), if any."""
    agent = agent_for_user(user)
    return agent.pk if agent else None


def context_params(conversation: Conversation, agent_id: int | None) -> list[tuple[str, str]]:
    """The context Help Scout's App platform sends for this conversation."""
    pairs = [
        ("conversation-id", str(conversation.pk)),
        ("conversation-number", str(conversation.number or "")),
        ("customer-id", str(conversation.customer_id or "")),
        ("mailbox-id", str(conversation.mailbox_id or "")),
    ]
    if agent_id:
        pairs.append(("user-id", str(agent_id)))
    return pairs


def render_app(view_class, url_name: str, request, pairs, secret: str) -> tuple[int, str]:
    """Call the product's App platform view as Help Scout would: (status, HTML)."""
    inner = HttpRequest()
    inner.method = "GET"
    inner.path = inner.path_info = reverse(url_name)
    inner.META = {
        "QUERY_STRING": urlencode(signed_query(pairs, secret)),
        "HTTP_HOST": request.get_host(),
        "SERVER_PORT": request.get_port(),
        "wsgi.url_scheme": request.scheme,
    }
    if request.is_secure():
        inner.META["HTTPS"] = "on"
    response = view_class.as_view()(inner)
    return response.status_code, response.content.decode(response.charset or "utf-8")


def app_preview_view(model_admin, request, object_id):
    conversation = model_admin.get_object(request, object_id)
    if conversation is None:
        raise Http404("No such conversation.")
    if not model_admin.has_view_permission(request, conversation):
        raise PermissionDenied
    if not can_view_customers(request.user):  # the sidebar shows the customer's account
        raise PermissionDenied(hidden_reason())
    conf = get_settings()
    panes = []
    if conf.app_platform_enabled:
        pairs = context_params(conversation, _agent_id(request.user))
        for label, view_class, url_name in (
            ("Sidebar (content callback)", AppContentView, "helpscout:app-content"),
            ("Side Panel", AppPanelView, "helpscout:app-panel"),
        ):
            status, html = render_app(
                view_class, url_name, request, pairs, conf.APP_PLATFORM_SECRET
            )
            panes.append({"label": label, "status": status, "html": html})
    site = model_admin.admin_site
    context = {
        **site.each_context(request),
        "title": f"Help Scout sidebar for conversation #{conversation.number or conversation.pk}",
        "conversation": conversation,
        "opts": model_admin.model._meta,
        "app_label": model_admin.model._meta.app_label,
        "panes": panes,
        "app_platform_enabled": conf.app_platform_enabled,
        "change_url": reverse(
            f"{site.name}:helpscout_integration_conversation_change", args=[conversation.pk]
        ),
    }
    return TemplateResponse(
        request, "admin/helpscout_integration/conversation/app_preview.html", context
    )
