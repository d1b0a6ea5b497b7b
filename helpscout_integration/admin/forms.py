"""Forms of the conversation actions; they validate input and never call Help Scout."""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from ..client.resources.attachments import MAX_ATTACHMENT_BYTES
from ..models import Agent, AgentStatus, ConversationStatus, Team

STATUS_CHOICES = [
    (ConversationStatus.ACTIVE, _("Active")),
    (ConversationStatus.PENDING, _("Pending")),
    (ConversationStatus.CLOSED, _("Closed")),
]
# Help Scout also accepts "spam" as a status change, but not with a reply.
STATUS_CHANGE_CHOICES = [*STATUS_CHOICES, (ConversationStatus.SPAM, _("Spam"))]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Files attached to a reply or note: each at most Help Scout's 10 MB."""

    widget = MultipleFileInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Attach files"))
        kwargs.setdefault("help_text", _("Up to 10 MB each (Help Scout's limit)."))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        cleaned = [super(AttachmentsField, self).clean(f, initial) for f in files]
        too_big = [f for f in cleaned if f.size > MAX_ATTACHMENT_BYTES]
        if too_big:
            raise forms.ValidationError(
                [
                    _("“%(name)s” is %(size).1f MB; Help Scout accepts files up to 10 MB.")
                    % {"name": f.name, "size": f.size / 1024 / 1024}
                    for f in too_big
                ]
            )
        return cleaned


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=_("Reply to the customer"),
        widget=forms.Textarea(attrs={"rows": 6, "cols": 70}),
        max_length=50_000,
        strip=True,
    )
    status = forms.ChoiceField(
        label=_("Then set status"),
        choices=[("", _("Leave as it is")), *STATUS_CHOICES],
        required=False,
    )
    attachments = AttachmentsField()
    # The files of a reply under review wait in `upload_stash`; this carries their token.
    stash = forms.CharField(required=False, widget=forms.HiddenInput)


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Private note (not sent to the customer)"),
        widget=forms.Textarea(attrs={"rows": 4, "cols": 70}),
        max_length=50_000,
        strip=True,
    )
    attachments = AttachmentsField()


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHANGE_CHOICES)


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(
        label=_("Assign to"),
        queryset=Agent.objects.filter(is_placeholder=False).order_by("first_name", "last_name"),
        required=False,
        empty_label=_("Nobody (unassign)"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        statuses = availability_by_agent()
        field = cast(forms.ModelChoiceField, self.fields["assignee"])
        field.label_from_instance = lambda agent: (  # type: ignore[method-assign,assignment]
            f"{agent} ({statuses[agent.pk]})" if agent.pk in statuses else str(agent)
        )


def availability_by_agent() -> dict[int, str]:
    """Agent id -> "away" / "active" as Help Scout last reported (mirrored AgentStatus)."""
    return {
        user_id: status
        for user_id, status in AgentStatus.objects.exclude(email_status="").values_list(
            "user_id", "email_status"
        )
    }


class AssignTeamForm(forms.Form):
    """Assign to a team: Help Scout's `assignTo` with the team's id (that a team id is
    accepted there is unverified; see docs/admin.md)."""

    team = forms.ModelChoiceField(
        label=_("Assign to team"),
        queryset=Team.objects.filter(is_placeholder=False).order_by("name"),
        empty_label=None,
    )


def _split_tags(value: str) -> list[str]:
    return [t.strip() for t in (value or "").split(",") if t.strip()]


class TagsForm(forms.Form):
    add = forms.CharField(
        label=_("Add tags"),
        required=False,
        help_text=_("Comma-separated tag names."),
        max_length=1000,
    )
    remove = forms.MultipleChoiceField(
        label=_("Remove tags"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, current_tags: Sequence[str] = (), **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.MultipleChoiceField, self.fields["remove"]).choices = [
            (name, name) for name in current_tags
        ]

    def clean_add(self) -> list[str]:
        names = _split_tags(self.cleaned_data.get("add", ""))
        too_long = [n for n in names if len(n) > 100]
        if too_long:
            raise forms.ValidationError(_("Tag names are at most 100 characters."))
        return names

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if not data.get("add") and not data.get("remove"):
            raise forms.ValidationError(_("Name a tag to add or choose one to remove."))
        return data
