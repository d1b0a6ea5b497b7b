"""Manual workflows from the admin: on one conversation (the "Run workflow" action of the
conversation page) and on conversations selected in the changelist.

The account's workflows come from Help Scout (`GET /workflows`), cached for
`CACHE_SECONDS`; only manual, active ones are offered, and only for conversations in
their own mailbox (Help Scout refuses others). The changelist action runs them 50 per
call (Help Scout's limit) and reports every batch as it ended: done, refused (with
Help Scout's reason) or unknown; each conversation gets a LogEntry. Needs `run_workflow`.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.cache import cache
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from ..exceptions import HelpScoutError
from . import operations
from .operations import describe_error, outcome_of
from .toolkit_forms import ToolkitForm

logger = logging.getLogger(__name__)
CACHE_KEY = "helpscout:manual-workflows"
CACHE_SECONDS = 300
# After a list action, the mirror of at most this many conversations that ran is re-read
# at once (one GET each, paced by the client), so the list a person returns to shows the
# workflow's changes; the rest catch up through webhooks or the next sync.
REFRESH_AFTER_RUN = 50


def manual_workflows(*, refresh: bool = False) -> list[dict[str, Any]]:
    """[{id, name, mailbox_id}] of active manual workflows (cached); raises HelpScoutError."""
    found = None if refresh else cache.get(CACHE_KEY)
    if found is None:
        with operations._client() as client:
            found = [
                {
                    "id": w["id"],
                    "name": str(w.get("name") or w["id"]),
                    "mailbox_id": w.get("mailboxId"),
                }
                for w in client.workflows.list()
                if w.get("type") == "manual" and w.get("status") == "active"
                and isinstance(w.get("id"), int)
            ]  # fmt: skip
        cache.set(CACHE_KEY, found, CACHE_SECONDS)
    return found


def workflows_of_mailbox(mailbox_id) -> tuple[list[dict[str, Any]], str]:
    """The mailbox's manual workflows, and why there are none when Help Scout failed."""
    try:
        return [w for w in manual_workflows() if w["mailbox_id"] == mailbox_id], ""
    except HelpScoutError as exc:
        return [], describe_error(exc)


class RunWorkflowForm(ToolkitForm):
    workflow = forms.TypedChoiceField(label=_("Manual workflow"), coerce=int)

    @classmethod
    def for_conversation(cls, conversation, data=None, files=None, prefix=None):
        form = cls(data, files, prefix=prefix)
        found, problem = workflows_of_mailbox(conversation.mailbox_id)
        form.fields["workflow"].choices = [(w["id"], w["name"]) for w in found]  # type: ignore[attr-defined]
        form.not_applicable = not found and not problem
        form.problem = problem
        return form


def run_on_conversation(conversation, data: dict[str, Any], user) -> operations.ActionResult:
    workflow_id = int(data["workflow"])
    names = {w["id"]: w["name"] for w in manual_workflows()}
    name = names.get(workflow_id, f"#{workflow_id}")
    return operations._write_then_refresh(
        conversation,
        lambda client: client.workflows.run(workflow_id, [conversation.pk]),
        f"Workflow “{name}” ran on this conversation.",
    )


class ChooseWorkflowForm(forms.Form):
    workflow = forms.TypedChoiceField(label=_("Manual workflow"), coerce=int)


@admin.action(
    permissions=["run_workflow"],
    description=_("Run a manual workflow on the selected conversations"),
)
def run_workflow_action(model_admin, request, queryset):
    try:
        workflows = manual_workflows(refresh="refresh" in request.POST)
    except HelpScoutError as exc:
        model_admin.message_user(
            request, f"Could not list workflows: {describe_error(exc)}", messages.ERROR
        )
        return None
    form = ChooseWorkflowForm(request.POST if "apply" in request.POST else None)
    by_id = {w["id"]: w for w in workflows}
    form.fields["workflow"].choices = [  # type: ignore[attr-defined]
        (w["id"], f"{w['name']} (mailbox {w['mailbox_id']})") for w in workflows
    ]
    if form.is_bound and form.is_valid():
        run_in_batches(model_admin, request, queryset, by_id[form.cleaned_data["workflow"]])
        return None
    opts = model_admin.model._meta
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": opts,
        "title": _("Run a manual workflow"),
        "form": form,
        "queryset": queryset,
        "count": queryset.count(),
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "selected": [str(pk) for pk in queryset.values_list("pk", flat=True)],
    }
    return TemplateResponse(
        request, "admin/helpscout_integration/conversation/run_workflow.html", context
    )


def run_in_batches(model_admin, request, queryset, workflow: dict[str, Any]) -> None:
    """Run `workflow` on the selected conversations of its mailbox, 50 per call; report
    each batch, and skip (and say so) conversations of other mailboxes."""
    by_mailbox: dict[Any, list] = defaultdict(list)
    for conversation in queryset.order_by("pk"):
        by_mailbox[conversation.mailbox_id].append(conversation)
    mine = by_mailbox.pop(workflow["mailbox_id"], [])
    skipped = sum(len(v) for v in by_mailbox.values())
    name = workflow["name"]
    if skipped:
        model_admin.message_user(
            request,
            f"Skipped {skipped} conversation(s) of other mailboxes: “{name}” runs only in "
            f"mailbox {workflow['mailbox_id']}.",
            messages.WARNING,
        )
    if not mine:
        return
    by_pk = {c.pk: c for c in mine}
    ran: list[int] = []
    try:
        client = operations._client()
    except HelpScoutError as exc:
        model_admin.message_user(request, describe_error(exc), messages.ERROR)
        return
    with client:
        for number, outcome in enumerate(
            client.workflows.run_in_batches(workflow["id"], list(by_pk)), 1
        ):
            size = len(outcome.conversation_ids)
            if outcome.ok:
                ran.extend(outcome.conversation_ids)
                text = f"Batch {number} ({size} conversation(s)): “{name}” ran."
                level = messages.SUCCESS
            else:
                headline = operations.HEADLINES[outcome_of(outcome.error)]
                reason = describe_error(outcome.error)
                text = f"Batch {number} ({size} conversation(s)): {headline} {reason}"
                level = messages.ERROR
            model_admin.message_user(request, text, level)
            for pk in outcome.conversation_ids:
                model_admin.log_change(
                    request, by_pk[pk], f"Workflow “{name}” via Help Scout: {text}"
                )
        stale = len(ran) - refresh_mirrors(client, ran[:REFRESH_AFTER_RUN])
    if stale:
        model_admin.message_user(
            request,
            f"{stale} conversation(s) will show the workflow's changes here after the next "
            "sync or Help Scout webhook.",
            messages.INFO,
        )


def refresh_mirrors(client, conversation_ids: list[int]) -> int:
    """Re-read each conversation into the mirror; returns how many were refreshed."""
    refreshed = 0
    for pk in conversation_ids:
        try:
            operations.refresh_conversation(client, pk)
            refreshed += 1
        except HelpScoutError:  # the run stands; the next sync or webhook catches up
            logger.warning("Could not refresh conversation %s after a workflow ran", pk)
    return refreshed
