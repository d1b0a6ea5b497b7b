"""Docs articles and the Beacon suggestion rules that point at them.

Articles are filled by the Docs sync and may also be entered by hand (an article the sync
has not reached yet); rules are edited here: a URL path pattern and an ordered list of
articles picked by title.
"""

from __future__ import annotations

from django.contrib import admin
from django.db import models
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ..models import BeaconSuggestion, BeaconSuggestionArticle, DocsArticle


@admin.register(DocsArticle)
class DocsArticleAdmin(admin.ModelAdmin):
    list_display = ("name", "status", "collection_id", "link", "updated_at")
    list_filter = ("status", "collection_id")
    search_fields = ("name", "slug", "=id")
    ordering = ("name",)
    readonly_fields = ("synced_at", "data")
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    @admin.display(description=_("public page"))
    def link(self, obj):
        if not obj.public_url.startswith(("http://", "https://")):
            return "-"
        return format_html(
            '<a href="{}" target="_blank" rel="noopener noreferrer">{}</a>',
            obj.public_url,
            _("open"),
        )


class SuggestionArticleInline(admin.TabularInline):
    model = BeaconSuggestionArticle
    fields = ("position", "article")
    autocomplete_fields = ("article",)
    extra = 1
    ordering = ("position", "id")
    verbose_name = _("suggested article")
    verbose_name_plural = _("suggested articles (shown in this order)")


@admin.register(BeaconSuggestion)
class BeaconSuggestionAdmin(admin.ModelAdmin):
    list_display = ("name", "path_pattern", "priority", "enabled", "article_count", "updated_at")
    list_editable = ("enabled",)
    list_filter = ("enabled",)
    search_fields = ("name", "path_pattern", "search_query")
    ordering = ("-priority", "path_pattern")
    inlines = (SuggestionArticleInline,)

    def get_queryset(self, request):
        from django.db.models import Count

        return super().get_queryset(request).annotate(_article_count=Count("items"))

    @admin.display(description=_("articles"), ordering="_article_count")
    def article_count(self, obj):
        return obj._article_count
