"""Mirrors of the account's directory: mailboxes, agents (Help Scout "users") and tags."""

from django.db import models

from .base import MirrorModel


class Mailbox(MirrorModel):
    name = models.CharField(max_length=255, blank=True)
    slug = models.CharField(max_length=255, blank=True)
    email = models.EmailField(max_length=254, blank=True)
    created_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "mailboxes"

    def __str__(self) -> str:
        return self.name or f"Mailbox {self.id}"


class Agent(MirrorModel):
    first_name = models.CharField(max_length=255, blank=True)
    last_name = models.CharField(max_length=255, blank=True)
    email = models.EmailField(max_length=254, blank=True, db_index=True)
    role = models.CharField(max_length=50, blank=True)
    type = models.CharField(max_length=50, blank=True)
    timezone = models.CharField(max_length=100, blank=True)
    photo_url = models.URLField(max_length=1000, blank=True)
    created_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["first_name", "last_name"]

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def __str__(self) -> str:
        return self.full_name or self.email or f"Agent {self.id}"


class Tag(MirrorModel):
    name = models.CharField(max_length=255, blank=True)
    slug = models.CharField(max_length=255, blank=True, db_index=True)
    color = models.CharField(max_length=20, blank=True)
    created_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name or self.slug or f"Tag {self.id}"
