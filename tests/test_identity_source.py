"""Nothing but `helpscout_integration/emails.py` folds an address.

The identity rule (`emails`) decides how addresses compare; a `.lower()`,
`.casefold()`, `.upper()` or `unicodedata.normalize` on an address anywhere else, or an
`email__iexact` lookup, is a second rule (the App platform once matched users with
`value.strip().lower()` and showed a Kelvin-sign customer as our user kate). This reads
the package source: any statement that both folds and mentions an email or address fails.
The sandbox is exempt: it models Help Scout's own (folding) matching on purpose.
"""

import ast
import re
from pathlib import Path

import helpscout_integration

PACKAGE = Path(helpscout_integration.__file__).parent
# emails.py is the rule. erasure/local.py only narrows with `email__iexact` and decides
# with `emails.email_key` in Python (rows_with_email's pattern), to find every row of the
# address being erased; it never turns an address into an identity.
ALLOWED = {PACKAGE / "emails.py", PACKAGE / "erasure" / "local.py"}
EXEMPT_DIRS = {PACKAGE / "sandbox", PACKAGE / "migrations"}
# Statements that mention "email" without an address in them: (file, text they contain).
NOT_ADDRESSES = {
    # Help Scout's user status: `email` is the email channel's {"status": ...} object.
    "payloads/user_status.py": ('email.get("status")', "email_status="),
}
FOLDS = {"lower", "casefold", "upper", "normalize"}
MENTIONS_ADDRESS = re.compile(r"e-?mail|address", re.IGNORECASE)
IEXACT_ON_EMAIL = re.compile(r"email\w*__iexact", re.IGNORECASE)


def _sources():
    for path in sorted(PACKAGE.rglob("*.py")):
        if path in ALLOWED or any(d in path.parents for d in EXEMPT_DIRS):
            continue
        yield path


def violations_in(source: str) -> list[str]:
    tree = ast.parse(source)
    lines = source.splitlines()
    found = []
    for node in ast.walk(tree):
        compound = ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.If | ast.For
        if not isinstance(node, ast.stmt) or isinstance(node, compound | ast.With | ast.Try):
            continue
        text = "\n".join(lines[node.lineno - 1 : node.end_lineno])
        folds = any(
            isinstance(call, ast.Call)
            and isinstance(call.func, ast.Attribute)
            and call.func.attr in FOLDS
            for call in ast.walk(node)
        )
        if (folds and MENTIONS_ADDRESS.search(text)) or IEXACT_ON_EMAIL.search(text):
            found.append(f"line {node.lineno}: {' '.join(text.split())}")
    return found


def test_no_module_but_emails_folds_an_address():
    problems = {}
    for path in _sources():
        name = str(path.relative_to(PACKAGE))
        allowed = NOT_ADDRESSES.get(name, ())
        found = [
            line
            for line in violations_in(path.read_text(encoding="utf-8"))
            if not any(snippet in line for snippet in allowed)
        ]
        if found:
            problems[name] = found
    assert problems == {}


def test_the_check_catches_the_old_app_platform_fold():
    """The check itself can fail: the line the App platform had before the identity rule."""
    old = 'email = value.strip().lower() if isinstance(value, str) and "@" in value else ""\n'
    assert violations_in(old)
    assert violations_in("rows = User.objects.filter(email__iexact=address)\n")
    assert not violations_in("slug = tag.name.lower()\n")
