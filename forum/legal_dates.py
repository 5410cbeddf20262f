"""Dated legal answers (issue 17): when an answer about pay or aid needs checking.

Legal figures (apprentice pay as a share of the SMIC, hiring aid amounts) change
on known days of the year. An answer on a thread tagged with one of
`settings.LEGAL_ANSWER_TAGS` *needs checking* when its validity date is before
the current reference date:

- the validity date is the answer's "valable au" date (`Answer.valid_as_of`),
  or, without one, the day it was last published or edited, in Paris time;
- the reference date is the most recent of `settings.LEGAL_ANSWER_REFERENCE_DAYS`
  (1 January by default) at or before today, today being the date in Paris
  (the figures change at midnight in France, not at midnight UTC).

Everything here is a pure function of its arguments but `today()` (the clock, or
`settings.LEGAL_ANSWERS_TODAY`) and `on_legal_thread()` (one query when the
answer came without the `on_legal_thread` annotation of `legal_thread_flag()`).
"""

from collections.abc import Iterable
from datetime import date, datetime, time
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from forum.models import Answer, Question

PARIS = ZoneInfo("Europe/Paris")


def today(now: datetime | None = None) -> date:
    """The date in Paris at `now` (default: the clock, or the configured day)."""
    if now is None:
        if settings.LEGAL_ANSWERS_TODAY:
            return settings.LEGAL_ANSWERS_TODAY
        now = timezone.now()
    return now.astimezone(PARIS).date()


def reference_date(on: date, days: Iterable[tuple[int, int]] | None = None) -> date:
    """The latest (month, day) of `days` at or before `on`."""
    days = tuple(days if days is not None else settings.LEGAL_ANSWER_REFERENCE_DAYS)
    candidates = [date(year, month, day) for year in (on.year, on.year - 1) for month, day in days]
    return max(candidate for candidate in candidates if candidate <= on)


def current_reference_date() -> date:
    return reference_date(today())


def reference_start(reference: date) -> datetime:
    """The instant the reference day starts in Paris."""
    return datetime.combine(reference, time.min, tzinfo=PARIS)


def validity_date(*, valid_as_of: date | None, published_at: datetime) -> date:
    return valid_as_of or published_at.astimezone(PARIS).date()


def needs_check(*, on_legal_thread: bool, valid_as_of: date | None, published_at: datetime, on: date) -> bool:
    """The rule itself: `on` is today's date in Paris."""
    if not on_legal_thread:
        return False
    return validity_date(valid_as_of=valid_as_of, published_at=published_at) < reference_date(on)


def published_at(answer: Answer) -> datetime:
    return answer.edited_at or answer.created_at


def answer_needs_check(answer: Answer, *, on: date | None = None) -> bool:
    return needs_check(
        on_legal_thread=on_legal_thread(answer),
        valid_as_of=answer.valid_as_of,
        published_at=published_at(answer),
        on=on or today(),
    )


# --- Which threads ------------------------------------------------------------------


def is_legal_tag(name: str) -> bool:
    return name in settings.LEGAL_ANSWER_TAGS


def legal_thread_flag(question_ref: str = "question_id") -> Exists:
    """Whether the answer's thread has a legal tag, as an annotation
    (`on_legal_thread`): lists get it with their rows, no query per answer.

    Asked of the tagged items of that one question. Going through `Question`
    (pk = outer ref, tags__name__in=…) let PostgreSQL hash *every* question with
    a legal tag for each query: 44,000 rows read to flag the 30 answers of one
    thread at national scale (90 ms; a single answer 10 ms; docs/performance.md)."""
    return Exists(_legal_taggings().filter(object_id=OuterRef(question_ref)))


def _legal_taggings():
    return Question.tags.through.objects.filter(
        content_type_id=ContentType.objects.get_for_model(Question).pk,
        tag__name__in=sorted(settings.LEGAL_ANSWER_TAGS),
    )


def with_legal_flag(queryset):
    return queryset.annotate(on_legal_thread=legal_thread_flag())


def on_legal_thread(answer: Answer) -> bool:
    flag = getattr(answer, "on_legal_thread", None)
    if flag is None:
        # A lone answer (just written, or read without the annotation): one query, kept.
        flag = _legal_taggings().filter(object_id=answer.question_id).exists()
        answer.on_legal_thread = flag
    return bool(flag)


def to_check(queryset, *, on: date | None = None):
    """The answers of `queryset` that need checking on `on` (default today), in SQL."""
    reference = reference_date(on or today())
    return (
        with_legal_flag(queryset)
        .alias(last_published_at=Coalesce("edited_at", "created_at"))
        .filter(on_legal_thread=True)
        .filter(
            Q(valid_as_of__lt=reference) | Q(valid_as_of__isnull=True, last_published_at__lt=reference_start(reference))
        )
    )


# --- Sources ------------------------------------------------------------------------


def is_official(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    return any(host == domain or host.endswith("." + domain) for domain in settings.OFFICIAL_SOURCE_DOMAINS)


def source_links(urls: Iterable[str]) -> list[dict]:
    """[{url, official}], as the API, the websocket and the pages show them."""
    return [{"url": url, "official": is_official(url)} for url in urls]
