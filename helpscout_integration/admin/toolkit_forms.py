"""Forms of the toolkit actions (snooze, send later, scheduled replies, workflows).

They validate input (a time must be in the future: Help Scout refuses a past one with a
400) and never call Help Scout. `for_conversation` builds each form for one conversation;
`not_applicable` hides a form that has nothing to act on (unsnooze when not snoozed).
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..payloads.scheduling import scheduled_of, snooze_of

LATEST = dt.datetime(2100, 12, 31, 23, 59, tzinfo=dt.UTC)


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


def _future(value):
    if value is None:
        return value
    if value <= timezone.now():
        raise forms.ValidationError(_("Choose a time in the future."))
    if value > LATEST:
        raise forms.ValidationError(_("Help Scout accepts times up to the year 2100."))
    return value


class ToolkitForm(forms.Form):
    not_applicable = False
    problem = ""  # why the form cannot offer anything right now (Help Scout failed)

    @classmethod
    def for_conversation(cls, conversation, data=None, files=None, prefix=None):
        return cls(data, files, prefix=prefix)


class SnoozeForm(ToolkitForm):
    until = forms.DateTimeField(
        label=_("Snooze until"),
        widget=DateTimeLocalInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
        help_text=_("In your time zone (%(tz)s).") % {"tz": timezone.get_current_timezone_name()},
    )
    wake_on_customer_reply = forms.BooleanField(
        label=_("Wake up when the customer replies"), required=False, initial=True
    )

    def clean_until(self):
        return _future(self.cleaned_data.get("until"))


class UnsnoozeForm(ToolkitForm):
    @classmethod
    def for_conversation(cls, conversation, data=None, files=None, prefix=None):
        form = cls(data, files, prefix=prefix)
        form.not_applicable = snooze_of(conversation.data, timezone.now()) is None
        return form


class SendLaterForm(ToolkitForm):
    text = forms.CharField(
        label=_("Reply to send later"),
        widget=forms.Textarea(attrs={"rows": 4, "cols": 70}),
        max_length=50_000,
        strip=True,
    )
    scheduled_for = forms.DateTimeField(
        label=_("Send at"),
        widget=DateTimeLocalInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
    )
    unschedule_on_customer_reply = forms.BooleanField(
        label=_("Do not send if the customer replies first"), required=False, initial=True
    )

    def clean_scheduled_for(self):
        return _future(self.cleaned_data.get("scheduled_for"))


def scheduled_threads(conversation):
    """(thread, ScheduledInfo) of the conversation's mirrored threads still scheduled."""
    now = timezone.now()
    found = []
    for thread in conversation.threads.only("id", "conversation_id", "data", "created_at").order_by(
        "created_at"
    ):
        info = scheduled_of(thread.data, now)
        if info is not None:
            found.append((thread, info))
    return found


class ScheduledReplyForm(ToolkitForm):
    thread = forms.TypedChoiceField(label=_("Scheduled reply"), coerce=int)
    what = forms.ChoiceField(
        label=_("Do"),
        choices=[("send_now", _("Send it now")), ("cancel", _("Cancel sending (keep as draft)"))],
    )

    @classmethod
    def for_conversation(cls, conversation, data=None, files=None, prefix=None):
        form = cls(data, files, prefix=prefix)
        choices = [
            (thread.pk, _("#%(id)s, due %(when)s") % {
                "id": thread.pk,
                "when": timezone.localtime(info.scheduled_for).strftime("%Y-%m-%d %H:%M"),
            })
            for thread, info in scheduled_threads(conversation)
        ]  # fmt: skip
        form.fields["thread"].choices = choices  # type: ignore[attr-defined]
        form.not_applicable = not choices
        return form
