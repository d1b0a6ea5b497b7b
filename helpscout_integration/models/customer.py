"""Mirror of Help Scout customers: the people who write to support."""

from django.db import models

from .base import MirrorModel
from .fields import MirrorJSONField
from .organization import Organization


class Customer(MirrorModel):
    first_name = models.CharField(max_length=255, blank=True)
    last_name = models.CharField(max_length=255, blank=True)
    email = models.EmailField(
        max_length=254, blank=True, db_index=True, help_text="Primary email (first listed)"
    )
    emails = MirrorJSONField(default=list, blank=True, help_text="All emails, lower-cased")
    phones = MirrorJSONField(default=list, blank=True)
    organization = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="customers",
        help_text="From Help Scout's organizationId",
    )
    organization_name = models.CharField(
        max_length=255, blank=True, help_text="Help Scout's legacy (deprecated) organization text"
    )
    job_title = models.CharField(max_length=255, blank=True)
    location = models.CharField(max_length=255, blank=True)
    photo_url = models.URLField(max_length=1000, blank=True)
    background = models.TextField(blank=True)
    properties = MirrorJSONField(default=dict, blank=True, help_text="Customer property values")
    created_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(null=True, blank=True)
    is_deleted = models.BooleanField(default=False)

    class Meta:
        ordering = ["last_name", "first_name"]

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def __str__(self) -> str:
        return self.full_name or self.email or f"Customer {self.id}"
