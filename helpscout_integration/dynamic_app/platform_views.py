"""Help Scout App platform endpoints: the sidebar content callback and the Side Panel.

Both are GET requests Help Scout loads in an iframe (the sidebar, or the Side Panel the
app opens with the JavaScript SDK's `openSidePanel(url)`), signed with the
`X-HelpScout-Signature` query parameter (see `query_signature`). Both answer a whole
`text/html` page, not the legacy `{"html": ...}` JSON, built from the same context as
the legacy view (`sidebar_context`, hence `CUSTOMER_PROPERTIES` and
`DYNAMIC_APP_CONTEXT`). Order of answers: 404 when `APP_PLATFORM_SECRET` is unset, 400
when the query cannot be what Help Scout signed, 401 when the signature is missing or
wrong (nothing read, nothing rendered), else 200.

The pages may be framed by Help Scout (`X-Frame-Options` lifted), are never cached, and
send no Referer: the signed URL must not leak to sites the agent follows links to.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_exempt

from ..conf import get_settings
from ..models import Conversation
from .context import sidebar_context
from .platform_request import sidebar_from_platform
from .query_signature import MalformedQuery, verify_query

CONTENT_TEMPLATE = "helpscout_integration/dynamic_app/app_content.html"
PANEL_TEMPLATE = "helpscout_integration/dynamic_app/app_panel.html"
PANEL_CONVERSATIONS = 10


def _plain(text: str, status: int) -> HttpResponse:
    return HttpResponse(text, status=status, content_type="text/plain; charset=utf-8")


@method_decorator([xframe_options_exempt, never_cache], name="dispatch")
class _AppPlatformView(View):
    http_method_names = ["get", "head"]
    source = ""
    template = ""

    def get(self, request, *args, **kwargs):
        conf = get_settings()
        if not conf.app_platform_enabled:
            return _plain("The Help Scout app is not configured.", 404)
        try:
            signed = verify_query(
                request.META.get("QUERY_STRING", ""),
                conf.APP_PLATFORM_SECRET,
                frozenset(conf.APP_PLATFORM_URL_PARAMS),
            )
        except MalformedQuery:
            return _plain("Malformed request.", 400)
        if signed is None:
            return _plain("Invalid signature.", 401)
        sidebar = sidebar_from_platform(signed, self.source)
        context = sidebar_context(sidebar)
        context.update(self.extra_context(request, context))
        response = HttpResponse(render_to_string(self.template, context, request=request))
        response["Referrer-Policy"] = "no-referrer"
        return response

    def extra_context(self, request, context) -> dict:
        return {}


class AppContentView(_AppPlatformView):
    """`app/content/`: register it as the app's content callback URL."""

    source = "app-content"
    template = CONTENT_TEMPLATE

    def extra_context(self, request, context) -> dict:
        # Help Scout appends its signed context to the URL given to openSidePanel().
        return {"panel_url": request.build_absolute_uri(reverse("helpscout:app-panel"))}


class AppPanelView(_AppPlatformView):
    """`app/panel/`: the Side Panel page, with the customer's other conversations."""

    source = "app-panel"
    template = PANEL_TEMPLATE

    def extra_context(self, request, context) -> dict:
        customer_id = context["sidebar"].customer_id
        conversations = []
        if customer_id is not None:
            conversations = list(
                Conversation.objects.filter(customer_id=customer_id, is_deleted=False)
                .order_by("-updated_at", "-pk")
                .only("pk", "number", "subject", "status", "updated_at")[:PANEL_CONVERSATIONS]
            )
        return {"conversations": conversations}
