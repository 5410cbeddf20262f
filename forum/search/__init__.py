"""Full-text search: one interface, a backend chosen by the database in use.

Views, the API and the services call only the functions of this module:

- `search(query, viewer=..., filters=..., sort=..., cursor=...) -> SearchPage`
- `similar(title, viewer=..., limit=5, exclude_id=None) -> list[SimilarQuestion]`
- `related_questions(question) -> list[SimilarQuestion]`: similar(), cached per title
- `index_thread(question_id)`: the services call it in their transaction
  after any change to what a thread's search document holds; `reindex_answers_of(user)`
  when a member's verified badge changes; `rebuild()` for everything.

A backend (forum/search/postgres.py, sqlite.py; an OpenSearch or Meilisearch
one would be a third module) implements `SearchBackend`; nothing outside this
package knows which one answers.
"""

import logging
from collections.abc import Iterable
from typing import Protocol

from django.core import signing
from django.core.cache import cache
from django.db import connections
from django.db.models import QuerySet, prefetch_related_objects
from django.utils.translation import gettext as _

from forum import page_versions, permissions
from forum.exceptions import InvalidInput
from forum.models import Answer, Question, User, Visibility
from forum.queries import author_badge_prefetches
from forum.search.text import Sections, significant_words, thread_sections
from forum.search.types import SORTS, STATUSES, Hit, SearchFilters, SearchPage, SimilarQuestion, has_verified_answer

__all__ = [
    "SORTS",
    "STATUSES",
    "Hit",
    "SearchFilters",
    "SearchPage",
    "SimilarQuestion",
    "index_thread",
    "newest_matches",
    "rebuild",
    "related_questions",
    "reindex_answers_of",
    "search",
    "similar",
]

PAGE_SIZE = 20
# Relevance pages are positions in a ranked list, not keys: past this many
# results (eleven pages) a reader refines the query rather than paging on.
# PostgreSQL ranks a pool of this size and a page (postgres.RANK_POOL).
MAX_OFFSET = 200
SIMILAR_LIMIT = 5
# Counts below the results (facets) are taken over this many of the newest
# matches: a common word matches most of the forum, and counting all of it is
# a full scan. The PostgreSQL ranking pool (postgres.RANK_POOL) is at least
# this big, so a plain search gets its sample without another query.
MATCH_SAMPLE = 256
# "Related questions" of a thread are cached this long (see related_questions).
RELATED_SECONDS = 3600
RELATED_SPARE = 3
_CURSOR_SALT = "forum.search.cursor"
logger = logging.getLogger(__name__)


class SearchBackend(Protocol):
    def index(self, question_id: int, public: Sections | None, full: Sections | None, *, using: str) -> None: ...

    def add_terms(self, words: Iterable[str], *, using: str) -> None: ...

    def find(
        self,
        query: str,
        *,
        moderator: bool,
        candidates: QuerySet[Question] | None,
        sort: str,
        offset: int,
        limit: int,
    ) -> tuple[list[Hit], QuerySet[Question], list[int] | None]:
        """Up to `limit` hits from `offset`, among `candidates` (already narrowed
        to what the viewer may see and to the filters), every match as a
        queryset, and the ids of the newest matches newest first when the
        backend read them anyway to rank (else None; see `newest`).
        `candidates` None (never for a moderator): every published question,
        nothing else narrowing, so that a backend may answer from its public
        index alone."""
        ...

    def newest(self, query: str, *, moderator: bool, candidates: QuerySet[Question] | None, limit: int) -> list[int]:
        """The ids of the newest `limit` matches among `candidates` (as in
        `find`), newest first, in one query."""
        ...

    def related(self, text: str, *, candidates: QuerySet[Question], limit: int) -> list[Question]: ...

    def correction(self, query: str) -> str | None: ...

    def rebuild_terms(self, *, using: str) -> None: ...


def backend(using: str = "default") -> SearchBackend:
    vendor = connections[using].vendor
    if vendor == "postgresql":
        from forum.search.postgres import PostgresBackend

        return PostgresBackend()
    from forum.search.sqlite import SqliteBackend

    return SqliteBackend()


# --- Reading -------------------------------------------------------------------


def search(
    query: str,
    *,
    viewer,
    filters: SearchFilters | None = None,
    sort: str = "relevance",
    cursor: str | None = None,
    page_size: int = PAGE_SIZE,
    prefetch: bool = True,
) -> SearchPage:
    """Threads matching `query` that `viewer` may read. Anyone searches public
    text; moderators also search hidden and pending posts, their hits flagged
    `moderation_only`. Bad input is InvalidInput with field errors.

    Each hit's question comes with its author, and with its tags and the
    author's badges unless `prefetch` is False (for a caller that loads them
    for some hits only: the search page's rows in its fragment cache need none)."""
    filters = filters or SearchFilters()
    errors: dict[str, list[str]] = {}
    if not significant_words(query):
        errors["q"] = [_("Type at least one word to search for.")]
    if sort not in SORTS:
        errors["sort"] = [_("Unknown sort order.")]
    if filters.status not in STATUSES:
        errors["status"] = [_("Unknown status.")]
    if filters.since and filters.until and filters.since > filters.until:
        errors["until"] = [_("The end date is before the start date.")]
    offset = _decode_cursor(cursor, sort, errors)
    if errors:
        raise InvalidInput(fields=errors)

    moderator = permissions.is_moderator(viewer)
    engine = backend()
    candidates = None
    if moderator or not filters.is_empty:
        candidates = filters.apply(permissions.visible_questions(viewer, Question.objects.all()))
    # else: nothing narrows the public text; a member's own unpublished
    # questions are not in it (they are found by moderators only).
    hits, matches, sample = engine.find(
        query, moderator=moderator, candidates=candidates, sort=sort, offset=offset, limit=page_size + 1
    )
    did_you_mean, corrected = None, False
    if not hits and offset == 0:
        # A typo ("apprantissage"): search the closest known words instead,
        # and say so. Offered only when it finds something this viewer may read.
        suggestion = engine.correction(query)
        if suggestion:
            hits, matches, sample = engine.find(
                suggestion, moderator=moderator, candidates=candidates, sort=sort, offset=0, limit=page_size + 1
            )
            if hits:
                did_you_mean, corrected = suggestion, True
    more = len(hits) > page_size and offset + page_size < MAX_OFFSET
    hits = hits[:page_size]
    _mark_verified(hits)
    if prefetch:
        prefetch_related_objects([hit.question for hit in hits], "tags", *author_badge_prefetches("author"))
    next_cursor = signing.dumps([sort, offset + page_size], salt=_CURSOR_SALT) if more else None
    return SearchPage(
        hits=hits,
        next_cursor=next_cursor,
        did_you_mean=did_you_mean,
        corrected=corrected,
        matches=matches,
        sample=sample[:MATCH_SAMPLE] if sample is not None else None,
    )


def newest_matches(query: str, *, viewer, filters: SearchFilters | None = None, limit: int = MATCH_SAMPLE) -> list[int]:
    """The ids of the newest `limit` threads matching `query` that `viewer`
    may read, narrowed by `filters`, newest first: a sample of the matches for
    counts below the results, in one query through the search index. For the
    same query and filters it is `SearchPage.sample` (which costs nothing
    when the ranking read it)."""
    filters = filters or SearchFilters()
    if not significant_words(query):
        return []
    moderator = permissions.is_moderator(viewer)
    candidates = None
    if moderator or not filters.is_empty:
        candidates = filters.apply(permissions.visible_questions(viewer, Question.objects.all()))
    return backend().newest(query, moderator=moderator, candidates=candidates, limit=limit)


def _decode_cursor(cursor: str | None, sort: str, errors: dict) -> int:
    if not cursor:
        return 0
    try:
        cursor_sort, offset = signing.loads(cursor, salt=_CURSOR_SALT)
        if cursor_sort == sort and isinstance(offset, int) and 0 <= offset <= MAX_OFFSET:
            return offset
    except (signing.BadSignature, ValueError, TypeError):
        pass
    errors["cursor"] = [_("This position in the results is not valid (start from the first page).")]
    return 0


def _mark_verified(hits: list[Hit]) -> None:
    # A backend may have read it with the questions already.
    hits = [hit for hit in hits if hit.has_verified_answer is None]
    if not hits:
        return
    ids = [hit.question.pk for hit in hits]
    verified = set(Question.objects.filter(pk__in=ids).filter(has_verified_answer()).values_list("pk", flat=True))
    for hit in hits:
        hit.has_verified_answer = hit.question.pk in verified


def similar(title: str, *, viewer, limit: int = SIMILAR_LIMIT, exclude_id: int | None = None) -> list[SimilarQuestion]:
    """Published questions that look like `title` (the ask form, "related
    questions" on a thread). Public text only, whoever asks: a moderator
    writing a question gets the same list as anyone."""
    if not significant_words(title):
        return []
    candidates = Question.objects.filter(visibility=Visibility.PUBLISHED)
    if exclude_id is not None:
        candidates = candidates.exclude(pk=exclude_id)
    found = backend().related(title, candidates=candidates, limit=min(limit, 20))
    if not found:
        return []
    verified = set(
        Question.objects.filter(pk__in=[q.pk for q in found]).filter(has_verified_answer()).values_list("pk", flat=True)
    )
    return [SimilarQuestion(question=q, has_verified_answer=q.pk in verified) for q in found]


def related_questions(question: Question, *, limit: int = SIMILAR_LIMIT) -> list[SimilarQuestion]:
    """ "Related questions" on a published thread's page: `similar()` to its
    title, run once per title rather than once per render. The cache keeps
    only ids, keyed by the thread and a digest of its title (the only input of
    the ranking, so an edited title is a new key); status and visibility are
    read at every render, so a question hidden since drops out at once. New
    questions join the list when the entry expires (RELATED_SECONDS)."""
    key = f"search:related:{question.pk}:{page_versions.digest(question.title)}"
    ids = _cache_get(key)
    if ids is None:
        # A few spare: a listed question may be hidden before the entry expires.
        found = similar(question.title, viewer=None, limit=limit + RELATED_SPARE, exclude_id=question.pk)
        ids = [item.question.pk for item in found]
        _cache_set(key, ids)
    if not ids:
        return []
    rows = Question.objects.filter(pk__in=ids, visibility=Visibility.PUBLISHED).annotate(verified=has_verified_answer())
    by_id = {row.pk: row for row in rows}
    shown = [by_id[pk] for pk in ids if pk in by_id][:limit]
    return [SimilarQuestion(question=row, has_verified_answer=row.verified) for row in shown]


def _cache_get(key: str):
    # The cache is an optimisation: Redis down means computing the list
    # (docs/known-traps.md, "Redis unreachable means 500s").
    try:
        return cache.get(key)
    except Exception:
        logger.warning("related questions: cache read failed", exc_info=True)
        return None


def _cache_set(key: str, value) -> None:
    try:
        cache.set(key, value, RELATED_SECONDS)
    except Exception:
        logger.warning("related questions: cache write failed", exc_info=True)


# --- Writing (called by the services) ----------------------------------------


def index_thread(question_id: int, *, using: str = "default") -> None:
    """Bring one thread's search document up to date with the database. Call
    inside the service's transaction, after its last change to the thread, so
    that the index commits (or rolls back) with the change."""
    public, full = thread_sections(question_id, using=using)
    engine = backend(using)
    engine.index(question_id, public, full, using=using)
    if public is not None:
        engine.add_terms(public.lexicon(), using=using)


def reindex_answers_of(user: User) -> None:
    """A member's answers count more while they hold a verified staff badge:
    their threads are re-indexed when one is granted, revoked or expires."""
    thread_ids = Answer.objects.filter(author=user).values_list("question_id", flat=True).distinct()
    for question_id in thread_ids.iterator():
        index_thread(question_id)


def rebuild(*, using: str = "default") -> int:
    """Re-index every thread and rebuild the lexicon; returns the number of
    threads. Reads only ids before indexing anything, so it is safe from a
    migration on a fresh database."""
    ids = list(Question.objects.using(using).order_by("pk").values_list("pk", flat=True))
    engine = backend(using)
    if not ids:
        return 0
    if hasattr(engine, "rebuild_documents"):
        # One statement where the database can build every document itself.
        engine.rebuild_documents(using=using)
        if "forum_answersearchvector" in connections[using].introspection.table_names():
            # Absent while migration 0011 runs this on an older database;
            # 0015_answer_search_vectors fills it then.
            engine.rebuild_answer_vectors(using=using)
    else:
        for question_id in ids:
            index_thread(question_id, using=using)
    engine.rebuild_terms(using=using)
    return len(ids)
