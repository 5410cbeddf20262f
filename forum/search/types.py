"""The values every search backend takes and returns: the narrow interface
views and the API depend on, whatever engine answers."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Protocol

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from forum.models import Answer, Question, Visibility
from forum.queries import staff_badges
from forum.validation import normalise_tag

STATUSES = ("all", "unanswered", "solved", "verified")
SORTS = ("relevance", "recency")


class QueryFilter(Protocol):
    """A filter another part of the forum adds to search (the alternance facets
    of issue 11): it narrows the questions, nothing else. One that may narrow
    nothing (no facet chosen) says so with a true `is_empty` attribute, so
    that a search without filters can take its backend's fastest path."""

    def apply(self, queryset: QuerySet[Question]) -> QuerySet[Question]: ...


@dataclass(frozen=True)
class SearchFilters:
    """What narrows a search, applied as a queryset filter so that every
    backend (and a future external engine, as a post-filter on its ids) shares
    it. `extra` takes any QueryFilter: facets plug in there without touching
    the backends or the views."""

    tag: str | None = None
    status: str = "all"
    since: date | None = None
    until: date | None = None
    extra: Sequence[QueryFilter] = ()

    def apply(self, queryset: QuerySet[Question]) -> QuerySet[Question]:
        if self.tag:
            queryset = queryset.filter(tags__slug=normalise_tag(self.tag))
        if self.status == "unanswered":
            queryset = queryset.filter(answer_count=0)
        elif self.status == "solved":
            queryset = queryset.filter(accepted_answer__isnull=False)
        elif self.status == "verified":
            queryset = queryset.filter(has_verified_answer())
        if self.since:
            queryset = queryset.filter(created_at__gte=_day_start(self.since))
        if self.until:
            queryset = queryset.filter(created_at__lt=_day_start(self.until + timedelta(days=1)))
        for extra in self.extra:
            queryset = extra.apply(queryset)
        return queryset

    @property
    def is_empty(self) -> bool:
        narrowing = [extra for extra in self.extra if not getattr(extra, "is_empty", False)]
        return not (self.tag or self.status != "all" or self.since or self.until or narrowing)


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def has_verified_answer(*, at=None) -> Exists:
    """A published answer by a member verified as HR or school staff `at`
    that moment (now)."""
    return Exists(
        Answer.objects.filter(question=OuterRef("pk"), visibility=Visibility.PUBLISHED).filter(
            Exists(staff_badges(user_ref=OuterRef("author"), at=at))
        )
    )


@dataclass
class Hit:
    """One thread found. The `*_html` fields are escaped text with the matched
    words in <mark>: safe to insert as HTML. `moderation_only`: the match is
    in text only moderators may read (shown flagged)."""

    question: Question
    rank: float
    title_html: str
    snippet_html: str
    answer_id: int | None = None
    answer_snippet_html: str = ""
    answer_visibility: str | None = None
    # None until known (forum.search fills it in before returning hits).
    has_verified_answer: bool | None = None
    moderation_only: bool = False


@dataclass
class SearchPage:
    hits: list[Hit]
    next_cursor: str | None = None
    # "Did you mean": a correction of the query that finds something. When the
    # query itself found nothing, `hits` are already the correction's.
    did_you_mean: str | None = None
    corrected: bool = False
    # Every matching question, unordered and unpaginated, for counts below the
    # results (facets): a lazy queryset, never evaluated by search itself.
    matches: QuerySet[Question] | None = field(default=None, repr=False)
    # The ids of the newest matches (up to forum.search.MATCH_SAMPLE), newest
    # first, when the backend read them anyway to rank; else None, and
    # forum.search.newest_matches takes them in one query.
    sample: list[int] | None = field(default=None, repr=False)


@dataclass
class SimilarQuestion:
    question: Question
    has_verified_answer: bool
