"""The demo threads, read from one Markdown file per thread in
`forum/demo/content/threads/` (format: `forum/demo/content/README.md`), so
that editing a demo answer is an edit of prose, not of code.

`load_threads()` reads and validates every file; a mistake (unknown member,
missing or unknown field, two accepted answers...) raises
`DemoContentError` naming the file and the line, before anything is written
to the database.
"""

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from forum.demo.members import ALL_MEMBERS
from forum.models.facets import FACETS

THREADS_DIR = Path(__file__).resolve().parent / "content" / "threads"
# A thread file is "NN-slug.md": the number keeps the files in the order they
# were written; the seeding order comes from `days_ago`, not from the names.
THREAD_FILE = re.compile(r"^\d+-[a-z0-9-]+\.md$")
FRONT_MATTER_FENCE = "---"
ANSWER_MARKER = "=== answer ==="

QUESTION_FIELDS = {"title": str, "author": str, "tags": list, "days_ago": (int, float)}
# The alternance facets (forum/models/facets.py), each one of its values.
QUESTION_OPTIONAL_FIELDS = dict.fromkeys(FACETS, str)
ANSWER_FIELDS = {"author": str, "after_hours": (int, float), "votes": int}
# A dated legal answer (forum/legal_dates.py): checked `valid_days_ago` days
# before seeding (relative, so that the demo ages like the rest), with sources.
ANSWER_OPTIONAL_FIELDS = {"accepted": bool, "valid_days_ago": (int, float), "sources": list}


class DemoContentError(ValueError):
    """A demo thread file that cannot be seeded, with where and why."""

    def __init__(self, path: Path, line: int, message: str) -> None:
        super().__init__(f"{path.name}, line {line}: {message}")
        self.path = path
        self.line = line


@dataclass(frozen=True)
class Reply:
    author: str
    # Hours after the question; `votes`: how many members found it helpful.
    after_hours: float
    votes: int
    body: str
    valid_days_ago: float | None = None
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class Thread:
    author: str
    title: str
    tags: tuple[str, ...]
    # How long ago the question was asked.
    days_ago: float
    body: str
    replies: tuple[Reply, ...] = ()
    # Index in `replies` of the answer the asker accepted.
    accepted: int | None = None
    # The alternance facets given, {"region": "bretagne", ...}.
    facets: tuple[tuple[str, str], ...] = ()


@cache
def load_threads(directory: Path = THREADS_DIR) -> tuple[Thread, ...]:
    paths = sorted(p for p in directory.iterdir() if THREAD_FILE.match(p.name))
    if not paths:
        raise DemoContentError(directory, 0, "no thread file (NN-slug.md) in this folder")
    return tuple(parse_thread_file(path) for path in paths)


def parse_thread_file(path: Path) -> Thread:
    lines = path.read_text(encoding="utf-8").split("\n")
    if not lines or lines[0].strip() != FRONT_MATTER_FENCE:
        raise DemoContentError(path, 1, f"a thread file starts with a {FRONT_MATTER_FENCE!r} line")
    header, body_start = _header(path, lines, start=1)
    fields = _fields(path, 1, header, QUESTION_FIELDS, QUESTION_OPTIONAL_FIELDS)
    for name, choices in FACETS.items():
        if name in fields and fields[name] not in choices.values:
            raise DemoContentError(
                path, _line_of(name, header, 2), f"{name}: {fields[name]!r} is not one of {', '.join(choices.values)}"
            )

    # Split the rest at answer markers; each chunk keeps its first line number.
    chunks: list[tuple[int, list[str]]] = [(body_start + 1, [])]
    for number, line in enumerate(lines[body_start:], start=body_start):
        if line.strip() == ANSWER_MARKER:
            chunks.append((number + 1, []))
        else:
            chunks[-1][1].append(line)

    question_body = _body(path, chunks[0][0], chunks[0][1])
    replies: list[Reply] = []
    accepted: int | None = None
    for marker_line, chunk in chunks[1:]:
        answer_header, answer_body_start = _header(path, chunk, start=0, offset=marker_line)
        answer = _fields(path, marker_line, answer_header, ANSWER_FIELDS, ANSWER_OPTIONAL_FIELDS)
        if answer.get("accepted"):
            if accepted is not None:
                raise DemoContentError(path, marker_line, "only one answer can be accepted")
            accepted = len(replies)
        replies.append(
            Reply(
                author=_member(path, _line_of("author", answer_header, marker_line + 1), answer["author"]),
                after_hours=answer["after_hours"],
                votes=answer["votes"],
                body=_body(path, marker_line + 1 + answer_body_start, chunk[answer_body_start:]),
                valid_days_ago=answer.get("valid_days_ago"),
                sources=_sources(path, marker_line, answer.get("sources", [])),
            )
        )

    tags = fields["tags"]
    if not all(isinstance(tag, str) for tag in tags):
        raise DemoContentError(path, 1, "tags must be a list of words, e.g. [salaire, bts]")
    return Thread(
        author=_member(path, _line_of("author", header, 2), fields["author"]),
        title=fields["title"],
        tags=tuple(tags),
        days_ago=fields["days_ago"],
        body=question_body,
        replies=tuple(replies),
        accepted=accepted,
        facets=tuple((name, fields[name]) for name in FACETS if name in fields),
    )


def _sources(path: Path, line: int, sources: list) -> tuple[str, ...]:
    if not all(isinstance(url, str) and url.startswith("https://") for url in sources):
        raise DemoContentError(path, line, "sources must be a list of https:// links")
    return tuple(sources)


def _header(path: Path, lines: list[str], *, start: int, offset: int = 0) -> tuple[list[str], int]:
    """The lines from `start` up to the closing fence, and the index after it.
    `offset` turns indexes into the file's line numbers (1-based) for errors."""
    for index in range(start, len(lines)):
        if lines[index].strip() == FRONT_MATTER_FENCE:
            return lines[start:index], index + 1
    raise DemoContentError(path, offset + start + 1, f"header not closed by a {FRONT_MATTER_FENCE!r} line")


def _fields(path: Path, line: int, header: list[str], required: dict, optional: dict) -> dict:
    # `line` is the fence or marker line just above the header.
    try:
        data = yaml.safe_load("\n".join(header)) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = line + 1 + mark.line if mark is not None else line
        raise DemoContentError(path, where, f"header is not valid YAML ({getattr(exc, 'problem', exc)})") from exc
    if not isinstance(data, dict):
        raise DemoContentError(path, line, "header must be 'key: value' lines")
    missing = sorted(set(required) - set(data))
    if missing:
        raise DemoContentError(path, line, f"missing field(s): {', '.join(missing)}")
    unknown = sorted(set(data) - set(required) - set(optional))
    if unknown:
        raise DemoContentError(path, line, f"unknown field(s): {', '.join(unknown)}")
    for key, value in data.items():
        expected = {**required, **optional}[key]
        if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
            raise DemoContentError(path, line, f"{key}: {value!r} is not of the expected type")
    return data


def _line_of(key: str, header: list[str], first_line: int) -> int:
    """The file's line number of `key:` in a header starting at `first_line`."""
    for index, line in enumerate(header):
        if line.startswith(f"{key}:"):
            return first_line + index
    return first_line


def _member(path: Path, line: int, username: str) -> str:
    if username not in _usernames():
        raise DemoContentError(path, line, f"{username!r} is not a demo member (forum/demo/members.py)")
    return username


@cache
def _usernames() -> frozenset[str]:
    return frozenset(member.username for member in ALL_MEMBERS)


def _body(path: Path, line: int, lines: list[str]) -> str:
    body = "\n".join(lines).strip("\n")
    if not body.strip():
        raise DemoContentError(path, line, "empty text")
    return body
