"""Checkpoints of incremental sync, one row per resource (and mailbox), so runs can resume."""

from django.db import models


class SyncState(models.Model):
    """Where sync stands for one resource.

    `checkpoint` is the Help Scout modification time up to which everything is mirrored
    (the next incremental run asks for `modifiedSince` a little before it). `cursor` holds
    the progress of a run in flight (e.g. the last committed page), so a killed run
    resumes there. `mailbox_id` 0 means "all mailboxes".
    """

    resource = models.CharField(max_length=50)
    mailbox_id = models.BigIntegerField(default=0)
    checkpoint = models.DateTimeField(null=True, blank=True)
    cursor = models.JSONField(default=dict, blank=True)
    last_full_sync_at = models.DateTimeField(null=True, blank=True)
    last_incremental_sync_at = models.DateTimeField(null=True, blank=True)
    last_run_stats = models.JSONField(default=dict, blank=True)
    last_error = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["resource", "mailbox_id"], name="hs_syncstate_unique")
        ]
        ordering = ["resource", "mailbox_id"]
        verbose_name = "sync state"
        permissions = [("run_sync", "Can start a Help Scout sync")]

    def __str__(self) -> str:
        scope = f" (mailbox {self.mailbox_id})" if self.mailbox_id else ""
        return f"{self.resource}{scope}"
