"""Mirror of Help Scout Organizations (companies) and Teams (groups of agents).

Organizations have no webhooks: the sync re-lists them (see sync/organizations.py), so a
row is as fresh as the last run. Counts and properties are only sent when asked for
(`includeCounts`, `includeProperties`); a row keeps the last values it was given and
`counts_known` says whether the counts ever came.
"""

from django.db import models

from .base import MirrorModel
from .directory import Agent
from .fields import MirrorJSONField


class Organization(MirrorModel):
    name = models.CharField(max_length=255, blank=True, db_index=True)
    domains = MirrorJSONField(default=list, blank=True, help_text="Email domains, lower-cased")
    website = models.CharField(max_length=1000, blank=True)
    description = models.TextField(blank=True)
    location = models.CharField(max_length=255, blank=True, help_text="Two-letter country code")
    note = models.TextField(blank=True)
    phones = MirrorJSONField(default=list, blank=True)
    brand_color = models.CharField(max_length=20, blank=True)
    logo_url = models.URLField(max_length=1000, blank=True)
    properties = MirrorJSONField(
        default=dict, blank=True, help_text="Organization property values by slug"
    )
    customer_count = models.PositiveIntegerField(null=True, blank=True)
    conversation_count = models.PositiveIntegerField(null=True, blank=True)
    last_interaction_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name or f"Organization {self.id}"


class Team(MirrorModel):
    name = models.CharField(max_length=255, blank=True)
    timezone = models.CharField(max_length=100, blank=True)
    photo_url = models.URLField(max_length=1000, blank=True)
    mention = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(null=True, blank=True)
    members = models.ManyToManyField(Agent, blank=True, related_name="teams")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name or f"Team {self.id}"
