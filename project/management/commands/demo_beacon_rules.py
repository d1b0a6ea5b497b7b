"""Give the demo's product page a Beacon suggestion rule: demo use only.

Beacon suggests articles on a page only when a `BeaconSuggestion` rule matches its path,
and a fresh demo has none, so Help would open with an empty suggestions list. This adds
one rule for the home page (`/`) listing published articles of the sandbox's demo Docs
site, as staff would in the admin. Run after `helpscout_sync --resource docs`; running
it again resets the rule to the same articles.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from helpscout_integration.models import BeaconSuggestion, BeaconSuggestionArticle, DocsArticle

RULE_NAME = "Demo product page"
PAGE = "/"  # project.urls: the home page renders Beacon
# Titles from the sandbox's demo seed (helpscout_integration/sandbox/seed.py, DOCS).
ARTICLE_NAMES = (
    "Reset your password",
    "Request a refund",
    "Update your card",
    "Emails not arriving",
)


def suggested_articles() -> list[DocsArticle]:
    """The mirrored, published articles of ARTICLE_NAMES, in that order."""
    found = {
        article.name: article
        for article in DocsArticle.objects.filter(name__in=ARTICLE_NAMES, status="published")
    }
    return [found[name] for name in ARTICLE_NAMES if name in found]


class Command(BaseCommand):
    help = "Add the demo's Beacon suggestion rule for the product page (/)."

    def handle(self, **options):
        articles = suggested_articles()
        if not articles:
            self.stderr.write(
                "demo_beacon_rules: no demo Docs articles are mirrored "
                "(run helpscout_sync --resource docs first); no rule added."
            )
            return
        with transaction.atomic():
            rule, _ = BeaconSuggestion.objects.update_or_create(
                name=RULE_NAME, defaults={"path_pattern": PAGE, "enabled": True}
            )
            rule.items.all().delete()
            BeaconSuggestionArticle.objects.bulk_create(
                BeaconSuggestionArticle(suggestion=rule, article=article, position=position)
                for position, article in enumerate(articles)
            )
            rule.save()  # bulk_create sends no signal: saving the rule refreshes the cache
        self.stdout.write(
            f"Beacon rule for {PAGE} suggests {len(articles)} article(s): "
            + ", ".join(article.name for article in articles)
        )
