"""Every relative link and anchor in README.md and docs/ leads somewhere that exists.

A newcomer follows links first; a dead one (a file that was never committed, a heading that
was renamed) costs them more than a missing page. Repository paths written in backticks
(`benchmarks/sandbox.py`) count as links too: they are how the docs point at code.
"""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]

FENCE = re.compile(r"^(```|~~~).*?^\1", re.S | re.M)
INLINE_CODE = re.compile(r"`([^`\n]+)`")
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
# A backticked repository path: a top-level directory of this repository, then a file.
REPO_DIRS = "|".join(
    sorted(
        p.name
        for p in ROOT.iterdir()
        if p.is_dir() and not p.name.startswith(".") and p.name not in {"build", "dist"}
    )
)
# A template or static file name is written as Django looks it up; these are its homes.
CODE_BASES = (ROOT, ROOT / "helpscout_integration" / "templates", ROOT / "helpscout_integration")
# Any backticked Markdown path is a page reference as well (a page outside the repository,
# such as a notes file, is as dead to a reader as a missing one).
REPO_PATH = re.compile(
    rf"^(?:(?:{REPO_DIRS})/[\w./-]*\.(?:md|py|sh|toml|html|js|css|json)|[\w./-]+\.md)$"
)


def _prose(text: str) -> str:
    """The page without fenced code blocks (their brackets are code, not links)."""
    return FENCE.sub("", text)


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to dashes."""
    text = re.sub(r"`|\*|_(?=\W)|(?<=\W)_", "", heading.strip().lower())
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def _anchors(page: Path) -> set[str]:
    seen: dict[str, int] = {}
    anchors = set()
    for line in _prose(page.read_text()).splitlines():
        match = re.match(r"^#{1,6}\s+(.*)$", line)
        if match:
            slug = _slug(match.group(1))
            count = seen.get(slug, 0)
            seen[slug] = count + 1
            anchors.add(slug if count == 0 else f"{slug}-{count}")
    return anchors


def _targets(page: Path):
    prose = _prose(page.read_text())
    for target in LINK.findall(prose):
        if not re.match(r"^[a-z][a-z0-9+.-]*:", target):  # http:, mailto: ... are not ours
            yield target, page.parent
    for code in INLINE_CODE.findall(prose):
        if REPO_PATH.match(code.strip()):
            yield code.strip(), None


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_relative_links_and_anchors_resolve(page):
    dead = []
    for target, base in _targets(page):
        path_part, _, anchor = target.partition("#")
        if base is None:  # a backticked path: any of its possible homes will do
            homes = [b / path_part for b in CODE_BASES]
            resolved = next((h for h in homes if h.exists()), homes[0])
        else:
            resolved = (base / path_part).resolve() if path_part else page
        if not resolved.exists():
            dead.append(f"{target} (no such file)")
        elif anchor and resolved.suffix == ".md" and anchor not in _anchors(resolved):
            dead.append(f"{target} (no heading #{anchor} in {resolved.name})")
    assert not dead, f"dead links in {page.relative_to(ROOT)}: {dead}"


def test_the_checker_sees_dead_links_and_anchors(tmp_path):
    """The checker itself: a missing file and a missing heading are both reported."""
    page = tmp_path / "page.md"
    page.write_text("# Title\n\n[a](missing.md) [b](#nope) [c](#title)\n\n```\n[d](x.md)\n```\n")
    targets = list(_targets(page))
    assert [t for t, _ in targets] == ["missing.md", "#nope", "#title"]
    assert _anchors(page) == {"title"}
    other = tmp_path / "other.md"
    other.write_text("Rules follow `reference/notes.md` and `docs/sync.md`.\n")
    assert [t for t, _ in _targets(other)] == ["reference/notes.md", "docs/sync.md"]
    assert _slug("Install into your `product` (v2)!") == "install-into-your-product-v2"
