"""Mailboxes, agents (Help Scout users) and tags in the admin: read-only mirrors."""

from __future__ import annotations

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ..models import Agent, Mailbox, Tag
from .base import MirrorAdmin

MIRROR_FIELDS = ("id", "is_placeholder", "hs_updated_at", "synced_at", "data")


@admin.register(Mailbox)
class MailboxAdmin(MirrorAdmin):
    list_display = ("name", "email", "slug", "id", "updated_at")
    search_fields = ("name", "email", "slug")
    ordering = ("name",)


@admin.register(Agent)
class AgentAdmin(MirrorAdmin):
    list_display = ("__str__", "email", "role", "type", "timezone", "id")
    list_filter = ("role", "type")
    search_fields = ("first_name", "last_name", "email")
    ordering = ("first_name", "last_name")


@admin.register(Tag)
class TagAdmin(MirrorAdmin):
    list_display = ("swatch", "name", "slug", "id", "updated_at")
    list_display_links = ("name",)
    search_fields = ("name", "slug")
    ordering = ("name",)

    @admin.display(description=_("colour"))
    def swatch(self, obj):
        colour = obj.color if obj.color and obj.color.lstrip("#").isalnum() else "#ccc"
        return format_html(
            '<span title="{}" style="display:inline-block;width:1em;height:1em;'
            'border-radius:50%;background:{}"></span>',
            colour,
            colour,
        )
