"""URL patterns of the app; the host includes them under a prefix (namespace `helpscout`)."""

from django.urls import path

from .webhooks.views import WebhookView

app_name = "helpscout"

urlpatterns: list = [
    path("webhook/", WebhookView.as_view(), name="webhook"),
]
