"""Text shared by the backends: the thread as searchable sections, words,
accent folding and the escape-then-mark highlighter."""

import re
import unicodedata
from dataclasses import dataclass

from django.utils.html import escape

from forum.models import Answer, Badge, Question, Visibility
from forum.models.organisations import STAFF_ROLES

# Each section is cut to this length: a giant thread must not make indexing
# slow or reach PostgreSQL's 1 MB tsvector limit.
SECTION_MAX = 100_000
WORD = re.compile(r"[^\W_]+", re.UNICODE)
# Marks that ts_headline and the SQLite highlighter put around matches; no
# post can contain them (control characters), so after escaping they are the
# only places a <mark> goes.
START, STOP = "\x02", "\x03"

# Words too common to narrow anything (the SQLite match ANDs every word, so
# one of these would only lose results; PostgreSQL's French configuration
# drops its own list).
FRENCH_STOPWORDS = frozenset(
    {
        "a",
        "au",
        "aux",
        "avec",
        "ce",
        "ces",
        "cet",
        "cette",
        "comment",
        "dans",
        "de",
        "des",
        "du",
        "elle",
        "en",
        "est",
        "et",
        "il",
        "ils",
        "je",
        "la",
        "le",
        "les",
        "leur",
        "lui",
        "ma",
        "mais",
        "me",
        "mes",
        "moi",
        "mon",
        "ne",
        "nos",
        "notre",
        "nous",
        "on",
        "ou",
        "par",
        "pas",
        "pour",
        "qu",
        "que",
        "quel",
        "quelle",
        "quels",
        "qui",
        "quoi",
        "sa",
        "se",
        "ses",
        "si",
        "son",
        "sur",
        "ta",
        "te",
        "tes",
        "toi",
        "ton",
        "tu",
        "un",
        "une",
        "vos",
        "votre",
        "vous",
        "y",
        "c",
        "d",
        "j",
        "l",
        "m",
        "n",
        "s",
        "t",
    }
)


def fold(text: str) -> str:
    """Lower case without accents: "École" -> "ecole"."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    return WORD.findall(text)


def significant_words(text: str, *, limit: int = 12) -> list[str]:
    """The words of a query worth matching, in order, without duplicates."""
    seen: dict[str, None] = {}
    for word in words(text):
        lowered = word.lower()
        if fold(lowered) in FRENCH_STOPWORDS or lowered in seen:
            continue
        seen[lowered] = None
    return list(seen)[:limit]


def lexicon_words(text: str) -> set[str]:
    """Words worth offering as corrections: letters only, 4 to 40 long."""
    return {w.lower() for w in words(text) if 4 <= len(w) <= 40 and w.isalpha()}


@dataclass
class Sections:
    """A thread's text by weight class: title (A), tags and the answers that
    count more, accepted or by verified staff (B), question body (C), other
    answers (D)."""

    title: str
    tags: str
    body: str
    boosted: str
    answers: str

    def lexicon(self) -> set[str]:
        return lexicon_words(" ".join([self.title, self.tags, self.body, self.boosted, self.answers]))


def thread_sections(question_id: int, *, using: str = "default") -> tuple[Sections | None, Sections | None]:
    """(public, full): what anyone may read, None unless the question is
    published; and what moderators may read (withdrawn answers left out, as
    forum.permissions.visible_answers does). (None, None) if it is gone."""
    question = (
        Question.objects.using(using)
        .filter(pk=question_id)
        .only("title", "body", "visibility", "accepted_answer_id")
        .first()
    )
    if question is None:
        return None, None
    tags = " ".join(
        name.replace("-", " ") for name in question.tags.using(using).order_by("name").values_list("name", flat=True)
    )
    answers = list(
        Answer.objects.using(using)
        .filter(question_id=question_id)
        .exclude(visibility=Visibility.WITHDRAWN)
        .order_by("id")
        .values_list("id", "author_id", "visibility", "body")
    )
    staff = set(
        Badge.objects.using(using)
        .active()
        .filter(user_id__in={a[1] for a in answers}, role__in=STAFF_ROLES)
        .values_list("user_id", flat=True)
    )

    def sections(*, public: bool) -> Sections:
        boosted, others = [], []
        for answer_id, author_id, visibility, body in answers:
            if public and visibility != Visibility.PUBLISHED:
                continue
            counts_more = answer_id == question.accepted_answer_id or author_id in staff
            (boosted if counts_more else others).append(body)
        return Sections(
            title=question.title,
            tags=tags,
            body=question.body[:SECTION_MAX],
            boosted="\n".join(boosted)[:SECTION_MAX],
            answers="\n".join(others)[:SECTION_MAX],
        )

    public = sections(public=True) if question.visibility == Visibility.PUBLISHED else None
    return public, sections(public=False)


def marked_html(text: str) -> str:
    """Escape first, then turn the START/STOP marks into <mark>: whatever a
    post contains, only our <mark> tags survive as markup."""
    return escape(text).replace(START, "<mark>").replace(STOP, "</mark>")


def strip_markdown(text: str) -> str:
    """Snippets are plain text: Markdown's emphasis and heading marks out."""
    return re.sub(r"[*_`#>]+", "", text)


def highlight(text: str, terms: list[str], *, context_words: int = 0) -> str:
    """`text` with every word that starts with a folded term marked; with
    `context_words`, only a window of that many words around the first match
    (the start of the text when nothing matches). Returns safe HTML."""
    tokens = re.split(r"(\w+)", strip_markdown(text))
    folded_terms = [fold(t) for t in terms if t]
    hits = [i for i, token in enumerate(tokens) if i % 2 and any(fold(token).startswith(t) for t in folded_terms)]
    start, end, prefix, suffix = 0, len(tokens), "", ""
    if context_words:
        first = hits[0] if hits else 1
        start = max(0, first - context_words // 3 * 2)
        end = min(len(tokens), start + context_words * 2)
        prefix = "… " if start > 0 else ""
        suffix = " …" if end < len(tokens) else ""
    hit_set = set(hits)
    out = [f"{START}{token}{STOP}" if i in hit_set else token for i, token in enumerate(tokens) if start <= i < end]
    return marked_html(prefix + " ".join("".join(out).split()) + suffix)
