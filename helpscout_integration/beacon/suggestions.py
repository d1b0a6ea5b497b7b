"""Which Docs articles Beacon suggests on a page: `BeaconSuggestion` rules, cached.

A rule's `path_pattern` is an exact path (`/billing/`), a prefix ending in `*`
(`/billing/*`) or a regular expression after `re:` (`re:^/orders/\\d+/$`, matched with
`re.search`). Among the rules matching a path the most specific wins: exact, then regular
expression, then prefix (the longer prefix first); ties go to the higher `priority`, then
the older rule. The winner's articles come first, then its cached Docs search results.

All enabled rules and their article ids are loaded with two queries into the Django cache
and reused until a rule or article changes (see `receivers`). Rendering reads the cache
only (one small version token per render; see `_Memo`): warm, it runs no query and never
any HTTP.
"""

from __future__ import annotations

import logging
import re
import uuid
from dataclasses import dataclass

from django.core.cache import cache

from . import search
from .patterns import EXACT, PREFIX, compile_expression, parse_pattern

logger = logging.getLogger(__name__)

RULES_CACHE_KEY = "helpscout:beacon:rules:v2"
VERSION_CACHE_KEY = "helpscout:beacon:rules-version:v2"
# Invalidation on edit covers this process and a shared cache; the timeout bounds how
# stale a per-process cache (locmem) in another worker can get.
RULES_CACHE_TIMEOUT = 300
MAX_SUGGESTIONS = 10  # Beacon shows a short list; more would only cost page weight


@dataclass(frozen=True)
class Rule:
    id: int
    kind: int
    pattern: str
    priority: int
    article_ids: tuple[str, ...]
    search_query: str = ""

    def matches(self, path: str) -> bool:
        if self.kind == EXACT:
            return path == self.pattern
        if self.kind == PREFIX:
            return path.startswith(self.pattern)
        compiled = compile_expression(self.pattern)
        return bool(compiled and compiled.search(path))

    @property
    def rank(self) -> tuple[int, int, int, int]:
        """Sort key, highest first: kind, prefix length, priority, older rule."""
        length = len(self.pattern) if self.kind == PREFIX else 0
        return (self.kind, length, self.priority, -self.id)


def load_rules() -> tuple[Rule, ...]:
    """Read the enabled rules and their published articles from the database (2 queries)."""
    from ..models import BeaconSuggestion, BeaconSuggestionArticle

    articles: dict[int, list[str]] = {}
    items = (
        # Published articles, and hand-entered ones the sync has not described yet.
        BeaconSuggestionArticle.objects.filter(
            suggestion__enabled=True, article__status__in=("published", "")
        )
        .order_by("suggestion_id", "position", "id")
        .values_list("suggestion_id", "article_id")
    )
    for suggestion_id, article_id in items:
        articles.setdefault(suggestion_id, []).append(article_id)
    rules = []
    for row in BeaconSuggestion.objects.filter(enabled=True).values(
        "id", "path_pattern", "priority", "search_query"
    ):
        try:
            kind, pattern = parse_pattern(row["path_pattern"])
        except (ValueError, re.error):
            logger.warning(
                "helpscout: Beacon rule %s ignored: invalid regular expression", row["id"]
            )
            continue
        rules.append(
            Rule(
                id=row["id"],
                kind=kind,
                pattern=pattern,
                priority=row["priority"],
                article_ids=tuple(articles.get(row["id"], ())),
                search_query=(row["search_query"] or "").strip(),
            )
        )
    rules.sort(key=lambda rule: rule.rank, reverse=True)
    return tuple(rules)


class _Memo:
    """This process's copy of the rules for one cache version, and paths already matched.

    The Django cache holds a small version token (shared by every process with a shared
    cache) and the rules under that version; a render reads only the token, then reuses
    the unpickled rules and earlier path results of that version. `state` is replaced as
    one tuple, so a thread never sees one version's rules with another's paths.
    """

    state: tuple[str | None, tuple[Rule, ...], dict[str, Rule | None]] = (None, (), {})


MAX_MEMO_PATHS = 2048


def _load_version() -> str:
    version = cache.get(VERSION_CACHE_KEY)
    if version is None:
        version = uuid.uuid4().hex
        if not cache.add(VERSION_CACHE_KEY, version, RULES_CACHE_TIMEOUT):
            version = cache.get(VERSION_CACHE_KEY) or version
    return version


def _current() -> tuple[str | None, tuple[Rule, ...], dict[str, Rule | None]]:
    version = _load_version()
    state = _Memo.state
    if state[0] == version:
        return state
    key = f"{RULES_CACHE_KEY}:{version}"
    rules = cache.get(key)
    if rules is None:
        rules = load_rules()
        cache.set(key, rules, RULES_CACHE_TIMEOUT)
    state = (version, rules, {})
    _Memo.state = state
    return state


def cached_rules() -> tuple[Rule, ...]:
    return _current()[1]


def invalidate_rules() -> None:
    """Forget the cached rules (after a rule, its articles or an article changed)."""
    cache.delete(VERSION_CACHE_KEY)
    _Memo.state = (None, (), {})


def matching_rule(path: str, rules: tuple[Rule, ...] | None = None) -> Rule | None:
    """The most specific enabled rule for `path` (rules are pre-sorted by rank)."""
    if rules is not None:
        return next((rule for rule in rules if rule.matches(path)), None)
    _, rules, memo = _current()
    if path in memo:
        return memo[path]
    found = next((rule for rule in rules if rule.matches(path)), None)
    if len(memo) >= MAX_MEMO_PATHS:
        memo.clear()
    memo[path] = found
    return found


def suggestions_for_path(path: str) -> list[str]:
    """Article ids to suggest on `path`: the rule's own, then its cached search results."""
    rule = matching_rule(path)
    if rule is None:
        return []
    ids = list(rule.article_ids)
    if rule.search_query:
        for article_id in search.cached_results(rule.search_query) or ():
            if article_id not in ids:
                ids.append(article_id)
    return ids[:MAX_SUGGESTIONS]
