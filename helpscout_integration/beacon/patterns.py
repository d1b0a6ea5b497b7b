"""A Beacon suggestion rule's `path_pattern`: an exact path, a prefix ending in `*`, or a
regular expression after `re:`.

Apart from `suggestions` so that the model's `clean()` can validate a pattern without
importing the rule cache (which imports the models): this module must never import
models, the cache or anything of Django.
"""

from __future__ import annotations

import re
from functools import lru_cache

EXACT, REGEX, PREFIX = 3, 2, 1


def parse_pattern(path_pattern: str) -> tuple[int, str]:
    """(kind, pattern) of a rule's `path_pattern`; raises ValueError for a bad regex."""
    text = path_pattern.strip()
    if text.startswith("re:"):
        expression = text[3:]
        re.compile(expression)
        return REGEX, expression
    if text.endswith("*"):
        return PREFIX, text[:-1]
    return EXACT, text


@lru_cache(maxsize=512)
def compile_expression(expression: str) -> re.Pattern | None:
    """The compiled expression, or None when it does not compile (a stored bad rule)."""
    try:
        return re.compile(expression)
    except re.error:
        return None
