"""Docs articles mirrored from the Docs API, and the admin-edited rules Beacon suggests them by."""

from django.db import models

from .fields import MirrorJSONField


class DocsArticle(models.Model):
    id = models.CharField(max_length=24, primary_key=True, help_text="Docs article id (hex)")
    number = models.PositiveIntegerField(null=True, blank=True)
    collection_id = models.CharField(max_length=24, blank=True, db_index=True)
    category_ids = MirrorJSONField(default=list, blank=True)
    slug = models.CharField(max_length=255, blank=True)
    name = models.CharField(max_length=500, blank=True)
    status = models.CharField(max_length=20, blank=True)
    public_url = models.URLField(max_length=1000, blank=True)
    updated_at = models.DateTimeField(null=True, blank=True)
    data = MirrorJSONField(default=dict, blank=True)
    synced_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "Docs article"

    def __str__(self) -> str:
        return self.name or self.id


class BeaconSuggestion(models.Model):
    """A rule: on pages whose path matches `path_pattern`, Beacon suggests these articles.

    Patterns: an exact path (`/billing/`), a prefix ending in `*` (`/billing/*`), or a
    regular expression prefixed with `re:`. The most specific match wins, then priority.
    """

    name = models.CharField(max_length=200)
    path_pattern = models.CharField(max_length=500)
    priority = models.IntegerField(default=0, help_text="Higher wins among equally specific rules")
    search_query = models.CharField(
        max_length=255, blank=True, help_text="Optionally suggest Docs search results for this"
    )
    enabled = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-priority", "path_pattern"]

    def __str__(self) -> str:
        return f"{self.name} ({self.path_pattern})"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        from ..beacon.patterns import parse_pattern

        pattern = (self.path_pattern or "").strip()
        if not pattern.startswith(("/", "re:")):
            raise ValidationError(
                {"path_pattern": "Start with / (a path or a prefix ending in *) or re:."}
            )
        try:
            parse_pattern(pattern)
        except Exception as exc:  # re.error: show the admin why the expression is invalid
            raise ValidationError({"path_pattern": f"Invalid regular expression: {exc}"}) from exc


class BeaconSuggestionArticle(models.Model):
    """An article in a rule's ordered list."""

    suggestion = models.ForeignKey(BeaconSuggestion, on_delete=models.CASCADE, related_name="items")
    article = models.ForeignKey(DocsArticle, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["suggestion", "article"], name="hs_suggestion_article")
        ]

    def __str__(self) -> str:
        return f"{self.suggestion_id}#{self.position}: {self.article_id}"
