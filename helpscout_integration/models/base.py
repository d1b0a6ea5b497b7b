"""What every mirror model shares: Help Scout id as key, the raw JSON, its modification time.

Models stay thin: parsing lives in `payloads/`, writing in `sync/` and `webhooks/`.
"""

from django.db import models

from .fields import MirrorJSONField


class MirrorModel(models.Model):
    """A row that mirrors one Help Scout object.

    `hs_updated_at` is the Help Scout modification time the row reflects; writers compare
    it so an older payload never overwrites newer state. `is_placeholder` marks a row
    created by id only (a webhook mentioned it before any sync saw it); the next sync
    fills it in.
    """

    id = models.BigIntegerField(primary_key=True, help_text="Help Scout id")
    data = MirrorJSONField(default=dict, blank=True, help_text="Raw Help Scout JSON")
    hs_updated_at = models.DateTimeField(
        null=True, blank=True, help_text="Help Scout modification time this row reflects"
    )
    is_placeholder = models.BooleanField(default=False)
    synced_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
