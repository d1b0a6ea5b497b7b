"""Admin views and changelist actions that act on Help Scout.

Conversation actions (reply, note, status, assign, tags) are admin views wrapped by
`AdminSite.admin_view` (staff login + CSRF); each checks its own permission, asks for
confirmation before anything is sent to a customer, and on failure shows the form again
with what was typed and Help Scout's reason. Bulk actions replay webhook events and start
syncs. Nothing here changes a mirror row except through `operations.refresh_conversation`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ..conf import get_settings
from . import forms, operations, toolkit_forms, toolkit_operations, upload_stash, workflows
from .customer_visibility import can_view_customers

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

APP = "helpscout_integration"


@dataclass(frozen=True)
class ConversationAction:
    name: str
    title: StrOrPromise
    permission: str
    form_class: type[Any]
    confirm: bool = False  # True when the action sends a message to the customer

    def make_form(self, conversation, data=None, files=None):
        if issubclass(self.form_class, toolkit_forms.ToolkitForm):
            return self.form_class.for_conversation(conversation, data, files, prefix=self.name)
        if self.form_class is forms.TagsForm:
            current = [t.name for t in conversation.tags.all()]
            return forms.TagsForm(data, current_tags=current, prefix=self.name)
        initial = {}
        if self.form_class is forms.StatusForm:
            initial = {"status": conversation.status}
        elif self.form_class is forms.AssignForm:
            initial = {"assignee": conversation.assignee_id}
        elif self.form_class is forms.AssignTeamForm:
            initial = {"team": conversation.assignee_team_id}
        return self.form_class(data, files, initial=initial, prefix=self.name)

    def run(self, conversation, data: dict[str, Any], user) -> operations.ActionResult:
        if self.name == "workflow":
            return workflows.run_on_conversation(conversation, data, user)
        if self.name in toolkit_operations.RUNNERS:
            return toolkit_operations.RUNNERS[self.name](conversation, data, user)
        if self.name == "reply":
            return operations.send_reply(
                conversation, text=data["text"], user=user, status=data.get("status", ""),
                files=attached_files(data, user),
            )  # fmt: skip
        if self.name == "note":
            return operations.add_note(
                conversation, text=data["text"], user=user, files=attached_files(data, user)
            )
        if self.name == "status":
            return operations.change_status(conversation, status=data["status"])
        if self.name == "assign":
            agent = data.get("assignee")
            return operations.assign(conversation, agent_id=agent.pk if agent else None)
        if self.name == "assign_team":  # the same PATCH, with the team's id
            return operations.assign(conversation, agent_id=data["team"].pk)
        if self.name == "tags":
            return operations.change_tags(
                conversation, add=data.get("add") or [], remove=data.get("remove") or []
            )
        raise ValueError(self.name)


def attached_files(data: dict[str, Any], user) -> list[tuple[str, str, bytes]]:
    """The files of a reply or note: just uploaded, or waiting since the review page."""
    uploads = data.get("attachments") or []
    if uploads:
        return [(f.name, f.content_type or "", f.read()) for f in uploads]
    if data.get("stash"):
        try:
            return upload_stash.load(user, data["stash"])
        except upload_stash.StashExpired as exc:
            raise operations.ActionError(str(exc)) from None
    return []


CONVERSATION_ACTIONS = {
    a.name: a
    for a in [
        ConversationAction("reply", _("Reply"), "reply_conversation", forms.ReplyForm, True),
        ConversationAction("note", _("Add note"), "note_conversation", forms.NoteForm),
        ConversationAction(
            "status", _("Change status"), "change_status_conversation", forms.StatusForm
        ),
        ConversationAction("assign", _("Assign"), "assign_conversation", forms.AssignForm),
        ConversationAction(
            "assign_team", _("Assign to a team"), "assign_conversation", forms.AssignTeamForm
        ),
        ConversationAction("tags", _("Tags"), "tag_conversation", forms.TagsForm),
        ConversationAction("snooze", _("Snooze"), "snooze_conversation", toolkit_forms.SnoozeForm),
        ConversationAction(
            "unsnooze", _("Unsnooze"), "snooze_conversation", toolkit_forms.UnsnoozeForm
        ),
        ConversationAction(
            "send_later", _("Send later"), "schedule_reply", toolkit_forms.SendLaterForm
        ),
        ConversationAction(
            "scheduled",
            _("Scheduled replies"),
            "schedule_reply",
            toolkit_forms.ScheduledReplyForm,
        ),  # fmt: skip
        ConversationAction(
            "workflow", _("Run workflow"), "run_workflow", workflows.RunWorkflowForm
        ),
    ]
}


def allowed_actions(user) -> dict[str, ConversationAction]:
    return {n: a for n, a in CONVERSATION_ACTIONS.items() if user.has_perm(f"{APP}.{a.permission}")}


def conversation_action_view(model_admin, request, object_id: str, action: str):
    """GET: the action's form. POST: validate, confirm if needed, call Help Scout."""
    spec = CONVERSATION_ACTIONS.get(action)
    if spec is None:
        raise Http404
    if not request.user.has_perm(f"{APP}.{spec.permission}"):
        raise PermissionDenied
    conversation = model_admin.get_object(request, unquote(object_id))
    if conversation is None:
        raise Http404
    if not model_admin.has_view_or_change_permission(request, conversation):
        raise PermissionDenied  # acting on a conversation one may not read makes no sense
    change_url = reverse(
        f"{model_admin.admin_site.name}:{APP}_conversation_change", args=[conversation.pk]
    )
    post = request.method == "POST"
    form = spec.make_form(
        conversation, request.POST if post else None, request.FILES if post else None
    )
    error = None
    if post and form.is_valid():
        wants_edit = "edit" in request.POST
        confirmed = "confirmed" in request.POST
        if spec.confirm and not confirmed and not wants_edit:
            stash, names = _stash_for_review(request.user, form.cleaned_data)
            return _render(
                model_admin, request, conversation, spec, form, "confirm", stash=stash,
                file_names=names,
            )  # fmt: skip
        if not wants_edit:
            try:
                result = spec.run(conversation, form.cleaned_data, request.user)
            except operations.ActionError as exc:
                error = exc
                if exc.maybe_applied:  # it may stand in Help Scout: leave a trace of it too
                    _log(model_admin, request, conversation, spec, form, exc.headline)
            else:
                if form.cleaned_data.get("stash"):
                    upload_stash.discard(request.user, form.cleaned_data["stash"])
                _log(model_admin, request, conversation, spec, form, result.message)
                level = messages.SUCCESS if result.refreshed else messages.WARNING
                messages.add_message(request, level, result.message)
                return HttpResponseRedirect(change_url)
    return _render(
        model_admin, request, conversation, spec, form, "form", error=error,
        change_url=change_url,
    )  # fmt: skip


def _stash_for_review(user, data) -> tuple[str, list[str]]:
    """Files to carry through the review page: new uploads, else those kept from before
    "Back to editing" (their token comes back in the form)."""
    files = data.get("attachments") or []
    if files:
        return upload_stash.stash(user, files), [f.name for f in files]
    if data.get("stash"):
        try:
            return data["stash"], [name for name, _, _ in upload_stash.load(user, data["stash"])]
        except upload_stash.StashExpired:
            return "", []
    return "", []


def _log(model_admin, request, conversation, spec, form, outcome: str) -> None:
    """Record the action in the conversation's History (a Django admin LogEntry).

    The entry names the action, what it set and how it ended; a reply's or note's text is
    left out (it lives in Help Scout's thread, and History is readable by more people).
    """
    detail = ""
    data = form.cleaned_data
    if spec.name == "status":
        detail = f" ({data['status']})"
    elif spec.name == "assign":
        agent = data.get("assignee")
        detail = f" ({agent})" if agent else " (unassigned)"
    elif spec.name == "tags":
        changes = [f"+{n}" for n in data.get("add") or []]
        changes += [f"-{n}" for n in data.get("remove") or []]
        detail = f" ({' '.join(changes)})" if changes else ""
    elif spec.name == "reply" and data.get("status"):
        detail = f" (status {data['status']})"
    model_admin.log_change(request, conversation, f"{spec.title}{detail} via Help Scout: {outcome}")


def _render(model_admin, request, conversation, spec, form, mode, **extra):
    opts = model_admin.model._meta
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": opts,
        "app_label": opts.app_label,
        "original": conversation,
        "conversation": conversation,
        "action": spec,
        "form": form,
        "mode": mode,
        "title": f"{spec.title}: {conversation}",
        "change_url": reverse(
            f"{model_admin.admin_site.name}:{APP}_conversation_change", args=[conversation.pk]
        ),
        "action_url": request.path,
        # Without view_customer the confirmation does not name the customer's email.
        "customer_hidden": not can_view_customers(request.user),
        **extra,
    }
    template = (
        f"admin/{APP}/conversation/confirm_reply.html"
        if mode == "confirm"
        else f"admin/{APP}/conversation/action.html"
    )
    return TemplateResponse(request, template, context)


# ---- changelist actions -------------------------------------------------------------


@admin.action(permissions=["replay"], description=_("Replay selected webhook events"))
def replay_webhook_events(model_admin, request, queryset):
    from ..webhooks.processing import enqueue_event

    count = 0
    for event in queryset.order_by("received_at", "pk"):
        enqueue_event(event)
        count += 1
    model_admin.message_user(
        request, f"Queued {count} webhook event(s) for processing again.", messages.SUCCESS
    )


def enqueue_incremental_sync(resources: list[str] | None = None) -> str:
    """Enqueue the sync task on the configured backend; returns the task result id."""
    from ..sync.tasks import sync_incremental

    task = sync_incremental.using(backend=get_settings().TASK_BACKEND)
    result = task.enqueue(resources=resources) if resources else task.enqueue()
    return str(result.id)


@admin.action(
    permissions=["run_sync"], description=_("Run an incremental sync of the selected resources")
)
def run_incremental_sync(model_admin, request, queryset):
    resources = sorted({state.resource for state in queryset})
    try:
        task_id = enqueue_incremental_sync(resources)
    except Exception as exc:  # a broken task backend must not look like success
        model_admin.message_user(request, f"Could not queue the sync: {exc}", messages.ERROR)
        return
    model_admin.message_user(
        request,
        f"Incremental sync of {', '.join(resources)} queued (task {task_id}).",
        messages.SUCCESS,
    )
