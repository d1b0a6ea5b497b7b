"""URL patterns of the app; the host includes them under a prefix (namespace `helpscout`)."""

from django.urls import include, path

from .dynamic_app.platform_views import AppContentView, AppPanelView
from .dynamic_app.views import DynamicAppView
from .webhooks.views import WebhookView

app_name = "helpscout"

urlpatterns: list = [
    path("webhook/", WebhookView.as_view(), name="webhook"),
    path("dynamic-app/", DynamicAppView.as_view(), name="dynamic-app"),
    path("app/content/", AppContentView.as_view(), name="app-content"),
    path("app/panel/", AppPanelView.as_view(), name="app-panel"),
    path("api/", include("helpscout_integration.api.urls")),
]
