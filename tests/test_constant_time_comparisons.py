"""Every comparison of a signature, token, digest or secret uses `hmac.compare_digest`.

`==` on two strings returns at the first differing byte, so how long a refusal takes
tells an attacker how much of a forged signature was right. No functional test can see
that, and ruff has no rule for it; this test reads the package's source (its AST) and
fails on any `==` / `!=` where one side is named like a secret value. A comparison that
is not a security check goes in ALLOWED with the reason.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import helpscout_integration

PACKAGE = Path(helpscout_integration.__file__).parent
# The last word of an identifier (split on "_", "-" and case changes) that marks a
# secret value: `expected_signature`, `access_token`, `X-HelpScout-Signature`, an API
# `key`; not `SIGNATURE_PARAM`, `token_url` or `SHA1_DIGEST_SIZE`, which name other things.
SECRET_WORDS = re.compile(r"^(signature|sig|token|digest|hmac|secret|password|mac|key)s?$")

# (path relative to the package, source of the comparison): why it is not a check.
ALLOWED = {
    ("client/auth.py", "token == stale"): (
        "the cached token against the one a 401 answered: which token to refresh, "
        "not whether a caller is who it says"
    ),
    ("dynamic_app/query_signature.py", "key == SIGNATURE_PARAM"): (
        "a query parameter's name against the name of the signature parameter"
    ),
    ("checks.py", "conf.APP_PLATFORM_SECRET == conf.APP_SECRET"): (
        "a system check warning that two of the operator's own settings are the same "
        "secret; no caller's value is compared"
    ),
}


def _words(name: str) -> list[str]:
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name)
    return [word.lower() for word in re.split(r"[^A-Za-z0-9]+", spaced) if word]


def _names(node: ast.AST) -> list[str]:
    """The identifiers an operand is known by: `x`, `obj.x`, `x.f()`, `f()`, `d["x"]`."""
    if isinstance(node, ast.Name):
        return [node.id]
    if isinstance(node, ast.Attribute):  # `signature.strip().lower()` is the signature too
        return [node.attr, *_names(node.value)]
    if isinstance(node, ast.Call):
        return _names(node.func)
    if isinstance(node, ast.Subscript):
        key = node.slice
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            return [key.value, *_names(node.value)]
        return _names(node.value)
    return []


def _looks_secret(node: ast.AST) -> bool:
    return any(SECRET_WORDS.match((_words(name) or [""])[-1]) for name in _names(node))


def equality_on_secrets(source: str) -> list[tuple[int, str]]:
    """(line, source) of every `==`/`!=` with an operand named like a secret value and
    no literal on the other side (`token == ""` compares with nothing secret)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Compare):
            continue
        operands = [node.left, *node.comparators]
        for op, left, right in zip(node.ops, operands, operands[1:], strict=False):
            if not isinstance(op, ast.Eq | ast.NotEq):
                continue
            if isinstance(left, ast.Constant) or isinstance(right, ast.Constant):
                continue
            if _looks_secret(left) or _looks_secret(right):
                found.append((node.lineno, ast.get_source_segment(source, node) or ""))
    return found


def test_signature_and_token_comparisons_use_compare_digest():
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE).as_posix()
        if relative.startswith("migrations/"):
            continue
        for line, text in equality_on_secrets(path.read_text(encoding="utf-8")):
            if (relative, text) not in ALLOWED:
                offenders.append(f"{relative}:{line}: {text}")
    assert offenders == [], "compare secrets with hmac.compare_digest:\n" + "\n".join(offenders)


def test_every_allowed_comparison_still_exists():
    """An allowance outlives its code unnoticed otherwise (and could hide a new one)."""
    for relative, text in ALLOWED:
        found = equality_on_secrets((PACKAGE / relative).read_text(encoding="utf-8"))
        assert text in [source for _line, source in found], (relative, text)


def test_the_check_sees_the_ways_a_comparison_is_written():
    source = (
        "a = digest == expected\n"
        "b = request.headers['X-Signature'] != computed\n"
        "c = compute_signature(body, key) == header\n"
        "d = self.access_token == given\n"
        "e = expectedHmac == other\n"
        "f = expected != signature.strip().lower()\n"
        "g = key != expected\n"
        "ok1 = token == ''\n"
        "ok2 = hmac.compare_digest(digest, expected)\n"
        "ok3 = tokenizer == other\n"
        "ok4 = name == SIGNATURE_PARAM\n"
    )
    assert [line for line, _text in equality_on_secrets(source)] == [1, 2, 3, 4, 5, 6, 7]
