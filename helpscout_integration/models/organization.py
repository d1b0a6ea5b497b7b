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


class AccountOrganization(models.Model):
    """Which Help Scout organization a product account was pushed as (one per account).

    The product's own record of the link: the organization's id is not a foreign key,
    because the mirror may not hold it yet (or any more). `owned` keeps what the push last
    sent for each field and property it owns, so the next push can tell an agent's edit
    in Help Scout (kept) from its own earlier value (replaced); see docs/organizations.md.
    """

    account_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE)
    account_id = models.CharField(max_length=255, help_text="The account's primary key")
    organization_id = models.BigIntegerField(help_text="Help Scout organization id")
    owned = models.JSONField(default=dict, blank=True, help_text="What the push last sent")
    pushed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["account_type", "account_id"], name="hs_account_org_unique"
            )
        ]
        indexes = [models.Index(fields=["organization_id"], name="hs_account_org_org")]

    def __str__(self) -> str:
        return f"{self.account_type.model} {self.account_id} -> organization {self.organization_id}"
