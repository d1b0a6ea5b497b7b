"""Conversations in the admin: a changelist that stays fast on a million rows, a readable
timeline, and the actions staff use to work a conversation.

The changelist runs a constant number of queries whatever the row count (select_related,
one prefetch for tags, an estimated total on PostgreSQL) and filters only on indexed
columns. Nothing here writes a mirror row directly.
"""

from __future__ import annotations

import dataclasses

from django.contrib import admin
from django.db.models import Prefetch, Q
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import smart_split, unescape_string_literal
from django.utils.translation import gettext_lazy as _

from ..conf import get_settings
from ..models import Conversation, Customer, SatisfactionRating, Tag, Thread
from . import actions
from .app_preview import app_preview_view
from .attachments import attachment_urls
from .base import HonestCountChangeList, MirrorAdmin, ReadOnlyInline
from .customer_visibility import CustomerFieldsNeedPermission, can_view_customers, hidden_reason
from .filters import AssigneeFilter, DeletedFilter, TagFilter
from .organization_context import organization_context
from .organization_filters import OrganizationFilter, TeamFilter
from .paginator import EstimatedCountPaginator
from .queryset import IndexedDatesQuerySet
from .saved_replies import saved_reply_urls
from .timeline import build_timeline
from .toolkit_context import (
    assignee_column,
    next_event_column,
    toolkit_context,
    with_assignee_status,
)
from .workflows import run_workflow_action


def web_app_url(conversation: Conversation) -> str:
    """The conversation's page in Help Scout's web app."""
    base = get_settings().WEB_APP_URL.rstrip("/")
    return f"{base}/conversation/{conversation.pk}/{conversation.number or ''}".rstrip("/")


MAX_INLINE_CUSTOMERS = 500


def cannot_write_reason(user, conversation: Conversation, allowed: dict) -> str:
    """Why this staff user's reply or note would be refused, said before they type ("" if
    it would not): no matching Help Scout user and no default agent, or no customer."""
    from .operations import ActionError, resolve_agent_id

    if not ({"reply", "note"} & set(allowed)):
        return ""
    try:
        resolve_agent_id(user)
    except ActionError as exc:
        return exc.message
    if "reply" in allowed and not conversation.customer_id:
        return "This conversation has no customer, so a reply cannot be sent (a note can)."
    return ""


class ThreadInline(ReadOnlyInline):
    model = Thread
    fields = ("created_at", "type", "created_by_name", "status", "attachment_count")
    readonly_fields = fields
    verbose_name_plural = _("threads (as stored)")
    classes = ("collapse",)

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if can_view_customers(request.user):
            return fields
        return [f for f in fields if f != "created_by_name"]  # a customer's name

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)

    @admin.display(description=_("attachments"))
    def attachment_count(self, obj):
        return len(obj.attachments or [])


class ConversationChangeList(HonestCountChangeList):
    """Changelist whose date hierarchy probes the index instead of scanning every row."""

    def get_queryset(self, request, exclude_parameters=None):
        qs = super().get_queryset(request, exclude_parameters)
        return IndexedDatesQuerySet.from_queryset_instance(qs)


@admin.register(Conversation)
class ConversationAdmin(CustomerFieldsNeedPermission, MirrorAdmin):
    class Media:  # fit 1366 px: one-line cells, the sort column in view
        css = {"all": ["helpscout_integration/admin-lists.css"]}

    list_display = (
        "display_number",
        "subject_link",
        "status_badge",
        "mailbox",
        "customer_display",
        "assignee_display",
        "tag_list",
        next_event_column,
        "updated_at",
    )
    list_display_links = None
    list_select_related = ("mailbox", "customer", "assignee", "assignee_team")
    list_filter = (
        "status",
        "mailbox",
        AssigneeFilter,
        TeamFilter,
        OrganizationFilter,
        TagFilter,
        ("updated_at", admin.DateFieldListFilter),
        ("created_at", admin.DateFieldListFilter),
        DeletedFilter,
    )
    search_fields = ("subject", "customer__email", "customer__first_name", "customer__last_name")
    search_help_text = _("Subject, customer email or name; a number (or #number) finds that one.")
    date_hierarchy = "updated_at"
    ordering = ("-updated_at",)
    sortable_by = ("display_number", "status_badge", "updated_at")
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    inlines = (ThreadInline,)
    actions = (run_workflow_action,)
    change_form_template = "admin/helpscout_integration/conversation/change_form.html"
    change_list_template = "admin/helpscout_integration/conversation/change_list.html"
    fieldsets = (
        (None, {"fields": ("subject", "status", "state", "type", "mailbox", "folder_id")}),
        (_("People"), {"fields": ("customer", "assignee", "assignee_team", "tags")}),
        (
            _("Times"),
            {"fields": ("created_at", "updated_at", "closed_at", "customer_waiting_since")},
        ),
        (
            _("Mirror"),
            {
                "classes": ("collapse",),
                "fields": (
                    "id", "number", "thread_count", "source_type", "source_via",
                    "custom_fields", "is_deleted", "deleted_at", "merged_into",
                    "is_placeholder", "hs_updated_at", "synced_at", "data",
                ),
            },
        ),
    )  # fmt: skip

    def get_queryset(self, request):
        return with_assignee_status(
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("tags", queryset=Tag.objects.only("id", "name", "color")))
        )

    def get_changelist(self, request, **kwargs):
        return ConversationChangeList

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        if not can_view_customers(request.user):
            changelist.search_help_text = str(_("Subject; a number (or #number) finds that one."))
        return changelist

    def has_run_workflow_permission(self, request):
        return request.user.has_perm("helpscout_integration.run_workflow")

    def get_search_results(self, request, queryset, search_term):
        """A number finds that conversation; words match the subject or the customer.

        Customers are matched in their own (much smaller) table first and joined by id,
        instead of Django's default LEFT JOIN + OR over every conversation row, which at
        1M rows took seconds for a rare term; an email-like word skips the subject scan
        and uses the `customer` index.
        """
        term = search_term.strip()
        if term.lstrip("#").isdigit():
            number = int(term.lstrip("#"))
            return queryset.filter(Q(number=number) | Q(pk=number)), False
        by_customer = can_view_customers(request.user)  # else: subject only
        for word in smart_split(term):
            if word[:1] in "\"'" and word[:1] == word[-1:] and len(word) > 1:
                word = unescape_string_literal(word)
            if not by_customer:
                queryset = queryset.filter(subject__icontains=word)
                continue
            people = Q(email__icontains=word)
            if "@" not in word:
                people |= Q(first_name__icontains=word) | Q(last_name__icontains=word)
            customers = Customer.objects.filter(people).values_list("pk", flat=True)
            ids = list(customers[: MAX_INLINE_CUSTOMERS + 1])
            # Few matches (the usual case): inline the ids, so the customer table is read
            # once per search, not once per query the changelist runs.
            match = Q(customer_id__in=ids if len(ids) <= MAX_INLINE_CUSTOMERS else customers)
            if "@" not in word:
                match |= Q(subject__icontains=word)
            queryset = queryset.filter(match)
        return queryset, False

    # ---- columns ----------------------------------------------------------------------

    @admin.display(description="#", ordering="number")
    def display_number(self, obj):
        return obj.number or "-"

    @admin.display(description=_("subject"))
    def subject_link(self, obj):
        url = reverse(f"{self.admin_site.name}:helpscout_integration_conversation_change",
                      args=[obj.pk])  # fmt: skip
        subject = obj.subject or _("(no subject)")
        return format_html('<a href="{}" title="{}">{}</a>', url, subject, subject)

    @admin.display(description=_("status"), ordering="status")
    def status_badge(self, obj):
        return format_html(
            '<span class="hs-status hs-status-{}">{}</span>',
            obj.status or "none",
            obj.get_status_display() or "-",
        )

    @admin.display(description=_("customer"))
    def customer_display(self, obj):
        customer = obj.customer
        if customer is None:
            return "-"
        if customer.full_name and customer.email:
            return format_html("{}<br><small>{}</small>", customer.full_name, customer.email)
        return str(customer)

    @admin.display(description=_("assignee"), ordering="assignee")
    def assignee_display(self, obj):
        """The agent (with their availability), or the team, marked as one, that holds
        the conversation."""
        if obj.assignee_team_id and not obj.assignee_id:
            return format_html("{} <small>({})</small>", obj.assignee_team, _("team"))
        return assignee_column(obj)

    @admin.display(description=_("tags"))
    def tag_list(self, obj):
        return format_html_join(
            " ", '<span class="hs-tag">{}</span>', ((t.name,) for t in obj.tags.all())
        )

    # ---- change page ------------------------------------------------------------------

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        obj = self.get_object(request, object_id)
        if obj is not None:
            extra_context.update(self.conversation_context(request, obj))
        return super().change_view(request, object_id, form_url, extra_context)

    def conversation_context(self, request, conversation: Conversation) -> dict:
        threads = conversation.threads.select_related("customer").order_by("created_at", "id")
        timeline = build_timeline(threads)
        customer = conversation.customer
        customer_hidden = "" if can_view_customers(request.user) else hidden_reason()
        if customer_hidden:  # no name, email, properties or other conversations
            customer = None
            timeline = [
                dataclasses.replace(entry, author=str(_("Customer")))
                if entry.kind == "customer"
                else entry
                for entry in timeline
            ]
        other = []
        if customer is not None:
            other = list(
                Conversation.objects.filter(customer=customer)
                .exclude(pk=conversation.pk)
                .order_by("-updated_at")
                .only("id", "number", "subject", "status", "updated_at")[:10]
            )
        allowed = actions.allowed_actions(request.user)
        action_forms = [
            (spec, spec.make_form(conversation), reverse(
                f"{self.admin_site.name}:helpscout_integration_conversation_{name}",
                args=[conversation.pk]))
            for name, spec in allowed.items()
        ]  # fmt: skip
        return {
            "timeline": timeline,
            "customer": customer,
            "customer_hidden": customer_hidden,
            "customer_properties": sorted((customer.properties or {}).items())
            if customer is not None and isinstance(customer.properties, dict)
            else [],
            "other_conversations": other,
            "ratings": SatisfactionRating.objects.filter(conversation=conversation)
            .select_related("agent")
            .order_by("-created_at")[:5],
            "web_app_url": web_app_url(conversation),
            "action_forms": action_forms,
            "cannot_write": cannot_write_reason(request.user, conversation, allowed),
            **toolkit_context(conversation),
            **organization_context(self.admin_site, customer),
        }

    def get_urls(self):
        prefix = f"{self.model._meta.app_label}_{self.model._meta.model_name}"
        urls = [
            path(
                f"<path:object_id>/{name}/",
                self.admin_site.admin_view(self._action_view(name)),
                name=f"{prefix}_{name}",
            )
            for name in actions.CONVERSATION_ACTIONS
        ]
        urls.append(
            path(
                "<path:object_id>/sidebar-preview/",
                self.admin_site.admin_view(
                    lambda request, object_id: app_preview_view(self, request, object_id)
                ),
                name=f"{prefix}_sidebar_preview",
            )
        )
        urls += attachment_urls(self) + saved_reply_urls(self)
        return urls + super().get_urls()

    def _action_view(self, name):
        def view(request, object_id):
            return actions.conversation_action_view(self, request, object_id, name)

        return view


@admin.register(SatisfactionRating)
class SatisfactionRatingAdmin(CustomerFieldsNeedPermission, MirrorAdmin):
    class Media:  # fit 1366 px: the conversation column wraps instead of scrolling sideways
        css = {"all": ["helpscout_integration/admin-lists.css"]}

    list_display = ("id", "rating", "conversation", "agent", "customer", "created_at")
    list_select_related = ("conversation", "agent", "customer")
    list_filter = ("rating", "agent", ("created_at", admin.DateFieldListFilter))
    search_fields = ("comments", "customer__email")
    date_hierarchy = "created_at"
    ordering = ("-created_at",)
