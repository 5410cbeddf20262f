"""Nothing in the repository points outside it: a clone on another machine has
every file a comment, a doc or a test names."""

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Folders that are never part of a clone (see .gitignore), for the fallback walk.
NOT_TRACKED = {".git", ".venv", "var", "staticfiles", "node_modules", ".schemathesis", "__pycache__", "_generated"}
BINARY = {".mo", ".png", ".jpg", ".ico", ".woff", ".woff2", ".sqlite3", ".pyc", ".gz", ".br"}

# Built from pieces so that this file does not match itself.
OUTSIDE = [
    re.compile(r"(?<![\w.-])/" + r"work/"),  # an absolute path of one development machine
    re.compile(r"\.\./" + r"shared\b"),  # the folder beside the checkout on that machine
    re.compile(r"KNOWN-" + r"TRAPS"),  # the traps file of that folder: docs/known-traps.md now
]
DOCS_LINK = re.compile(r"\bdocs/([\w.-]+\.md)\b")
MARKDOWN_LINK = re.compile(r"\]\((?!https?:|mailto:|#)([^)#\s]+)")


def tracked_files() -> list[Path]:
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True, text=True
        ).stdout.split("\0")
        paths = [ROOT / name for name in listed if name]
    except (OSError, subprocess.CalledProcessError):
        # An export without .git (a source archive): walk it instead.
        paths = [p for p in ROOT.rglob("*") if p.is_file() and not NOT_TRACKED & set(p.relative_to(ROOT).parts)]
    return [p for p in paths if p.is_file() and p.suffix not in BINARY]


def texts() -> list[tuple[str, str]]:
    return [(str(p.relative_to(ROOT)), p.read_text(encoding="utf-8", errors="replace")) for p in tracked_files()]


def test_no_tracked_file_points_outside_the_repository():
    found = [
        f"{name}:{text.count(chr(10), 0, match.start()) + 1}: {match.group(0)}"
        for name, text in texts()
        for pattern in OUTSIDE
        for match in pattern.finditer(text)
    ]

    assert found == []


def test_every_docs_page_that_is_named_exists():
    missing = sorted(
        {
            f"{name}: docs/{page}"
            for name, text in texts()
            for page in DOCS_LINK.findall(text)
            if not (ROOT / "docs" / page).is_file()
        }
    )

    assert missing == []


def test_every_relative_link_of_the_docs_leads_to_a_file():
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    broken = [
        f"{page.relative_to(ROOT)}: {target}"
        for page in pages
        for target in MARKDOWN_LINK.findall(page.read_text(encoding="utf-8"))
        if not (page.parent / target).exists()
    ]

    assert pages
    assert broken == []
