"""PostgreSQL: stored tsvectors (GIN), French stemming without accents
(`fr_unaccent`, migration 0009), ts_rank, ts_headline, pg_trgm corrections."""

import json
import time
from collections.abc import Iterable
from contextlib import contextmanager, nullcontext, suppress

from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import DatabaseError, connections
from django.db.models import BooleanField, ExpressionWrapper, F, Func, Q, QuerySet
from django.utils import timezone

from forum.compiled_sql import CompiledQuery, marker_datetime, marker_ids
from forum.models import Question, Visibility
from forum.models.organisations import STAFF_ROLES
from forum.search.text import SECTION_MAX, START, STOP, Sections, marked_html, significant_words
from forum.search.types import Hit, has_verified_answer

CONFIG = "fr_unaccent"
# ts_rank's weights for D, C, B, A (other answers, question body, tags and
# answers that count more, title): PostgreSQL's defaults.
WEIGHTS = [0.1, 0.2, 0.4, 1.0]
TITLE_HEADLINE = f'HighlightAll=true, StartSel="{START}", StopSel="{STOP}"'
BODY_HEADLINE = (
    f'MaxWords=35, MinWords=15, MaxFragments=2, FragmentDelimiter=" … ", StartSel="{START}", StopSel="{STOP}"'
)
# Only the first part of a long answer is read for its snippet: enough to find
# the match in practice, and bounded work per result.
ANSWER_SNIPPET_SOURCE = 20_000
# One answer's stored vector (forum.models.AnswerSearchVector) and the digest
# of the text it was made from, for an answer table aliased %s; migration
# 0015_answer_search_vectors spells the same text for its backfill.
ANSWER_TEXT = f"left(%s.body, {ANSWER_SNIPPET_SOURCE})"
ANSWER_VECTOR = f"to_tsvector('{CONFIG}'::regconfig, {ANSWER_TEXT})"
ANSWER_DIGEST = f"md5({ANSWER_TEXT})"
# Answer vectors rebuilt per statement by rebuild_answer_vectors.
ANSWER_BATCH = 50_000
# How many matches are ranked at most (see find): at least the deepest a
# cursor goes (forum.search.MAX_OFFSET) plus a page, so that every page ranks
# the same pool. Ranking reads each whole document: about 45 us a thread on
# the national seed, so 1,024 cost 45 ms.
RANK_POOL = 256
# The newest matches come either from reading documents newest first and
# testing each (cheap when most match: "contrat" stops after about RANK_POOL
# rows), or from the GIN index (cheap when few match: a word in 8% of threads
# read 12,700 documents the first way, 180 ms, against 15 ms). PostgreSQL
# does not count the cost of reading a large tsvector out of TOAST, so it
# picks the first way far too often; below this estimated share of matching
# documents the second is imposed (see _bitmap_scans_only).
DENSE_SHARE = 0.25
# Similar titles sharing only some words: how many of the newest are ranked.
SIMILAR_POOL = 200
# The title as a vector, exactly as the expression index of migration 0009_search_speed
# spells it (PostgreSQL uses the index only for the same expression).
TITLE_VECTOR = Func(
    F("title"), template=f"to_tsvector('{CONFIG}'::regconfig, %(expressions)s)", output_field=SearchVectorField()
)
MODERATOR_ANSWER_VISIBILITIES = [Visibility.PUBLISHED, Visibility.PENDING, Visibility.HIDDEN]
# How long a process keeps the planner's estimate for a query (_estimated_share).
SHARE_SECONDS = 600


def _vector_sql(sections: Sections | None) -> tuple[str, list[str]]:
    if sections is None:
        return "NULL", []
    parts = [
        (sections.title, "A"),
        (sections.tags, "B"),
        (sections.body, "C"),
        (sections.boosted, "B"),
        (sections.answers, "D"),
    ]
    sql = " || ".join(f"setweight(to_tsvector('{CONFIG}', %s), '{weight}')" for _text, weight in parts)
    return sql, [text for text, _weight in parts]


class _TimedMemo:
    """A small per-process memo whose entries expire: a bounded dict, the
    oldest entries dropped first when full."""

    def __init__(self, *, seconds: float, size: int):
        self.seconds, self.size = seconds, size
        self.entries: dict = {}

    def get(self, key):
        entry = self.entries.get(key)
        if entry is None or entry[0] < time.monotonic():
            return None
        return entry[1]

    def set(self, key, value) -> None:
        if len(self.entries) >= self.size:
            # Request threads may evict at the same time: pop, never del.
            for old in list(self.entries)[: self.size // 4]:
                self.entries.pop(old, None)
        self.entries[key] = (time.monotonic() + self.seconds, value)


_shares = _TimedMemo(seconds=SHARE_SECONDS, size=4096)


@contextmanager
def _bitmap_scans_only():
    """The planner without sequential and plain index scans, for one query:
    it then reads matches through the GIN index (a bitmap scan)."""
    with connections["default"].cursor() as cursor:
        cursor.execute("SET enable_seqscan = off; SET enable_indexscan = off")
        try:
            yield
        finally:
            # In an aborted transaction RESET fails, and the rollback undoes the SETs.
            with suppress(DatabaseError):
                cursor.execute("RESET enable_seqscan; RESET enable_indexscan")


def _shown_questions(ids: list[int], now) -> QuerySet[Question]:
    # Snippets are made in SQL (_snippets): no hit shows the whole text.
    return (
        Question.objects.filter(pk__among=ids)
        .defer("body", "body_html")
        .annotate(verified=has_verified_answer(at=now))
        .select_related("author")
    )


# A page of results, on every search: built and compiled once (forum/compiled_sql.py).
_SHOWN_QUESTIONS = CompiledQuery(_shown_questions, (marker_ids(0), marker_datetime(1)))


class PostgresBackend:
    def index(self, question_id: int, public: Sections | None, full: Sections | None, *, using: str) -> None:
        with connections[using].cursor() as cursor:
            if full is None:
                cursor.execute("DELETE FROM forum_searchdocument WHERE question_id = %s", [question_id])
                return
            # The thread's answers whose text changed (or that are new) get
            # their vector again; the others keep theirs.
            cursor.execute(
                f"""INSERT INTO forum_answersearchvector (answer_id, vector, body_digest)
                SELECT a.id, {ANSWER_VECTOR % "a"}, {ANSWER_DIGEST % "a"}
                FROM forum_answer a LEFT JOIN forum_answersearchvector v ON v.answer_id = a.id
                WHERE a.question_id = %s AND v.body_digest IS DISTINCT FROM {ANSWER_DIGEST % "a"}
                ON CONFLICT (answer_id) DO UPDATE SET vector = EXCLUDED.vector, body_digest = EXCLUDED.body_digest""",
                [question_id],
            )
            public_sql, public_params = _vector_sql(public)
            full_sql, full_params = _vector_sql(full)
            cursor.execute(
                f"""INSERT INTO forum_searchdocument (question_id, public_vector, full_vector, updated_at)
                VALUES (%s, {public_sql}, {full_sql}, now())
                ON CONFLICT (question_id) DO UPDATE SET public_vector = EXCLUDED.public_vector,
                    full_vector = EXCLUDED.full_vector, updated_at = EXCLUDED.updated_at""",
                [question_id, *public_params, *full_params],
            )

    def rebuild_documents(self, *, using: str) -> int:
        """Every thread's document in one statement: the same text as
        forum.search.text.thread_sections (same weights, visibilities and
        cuts), built set-wise, for bulk loads where one thread at a time
        (about 5 queries each) would take too long."""
        staff = ", ".join(f"'{role}'" for role in STAFF_ROLES)
        section = f"left(coalesce(%s, ''), {SECTION_MAX})"

        def vector(title, tags, body, boosted, answers):
            parts = [(title, "A"), (tags, "B"), (body, "C"), (boosted, "B"), (answers, "D")]
            return " || ".join(
                f"setweight(to_tsvector('{CONFIG}', {section % column}), '{weight}')" for column, weight in parts
            )

        with connections[using].cursor() as cursor:
            cursor.execute(
                f"""INSERT INTO forum_searchdocument (question_id, public_vector, full_vector, updated_at)
                SELECT id, public_vector,
                    -- Most threads have nothing but published posts: their
                    -- moderator text is the public text, and parsing it again
                    -- would double the work.
                    CASE WHEN visibility = 'published' AND all_public THEN public_vector ELSE
                        {vector("title", "tags", "body", "full_boosted", "full_others")} END,
                    now()
                FROM (
                SELECT q.id, q.visibility, q.title, q.body, t.tags, a.full_boosted, a.full_others,
                    coalesce(a.all_public, true) AS all_public,
                    CASE WHEN q.visibility = 'published' THEN
                        {vector("q.title", "t.tags", "q.body", "a.public_boosted", "a.public_others")} END
                        AS public_vector
                FROM forum_question q
                LEFT JOIN LATERAL (
                    SELECT string_agg(replace(tag.name, '-', ' '), ' ' ORDER BY tag.name) AS tags
                    FROM taggit_taggeditem item JOIN taggit_tag tag ON tag.id = item.tag_id
                    WHERE item.object_id = q.id AND item.content_type_id = %s
                ) t ON true
                LEFT JOIN LATERAL (
                    SELECT
                        string_agg(body, E'\n' ORDER BY id) FILTER (WHERE counts_more AND public) AS public_boosted,
                        string_agg(body, E'\n' ORDER BY id) FILTER (WHERE NOT counts_more AND public) AS public_others,
                        string_agg(body, E'\n' ORDER BY id) FILTER (WHERE counts_more) AS full_boosted,
                        string_agg(body, E'\n' ORDER BY id) FILTER (WHERE NOT counts_more) AS full_others,
                        bool_and(public) AS all_public
                    FROM (
                        SELECT answer.id, answer.body, answer.visibility = 'published' AS public,
                            (answer.id = q.accepted_answer_id OR EXISTS (
                                SELECT 1 FROM forum_badge badge WHERE badge.user_id = answer.author_id
                                AND badge.status = 'active' AND badge.expires_at > now() AND badge.role IN ({staff})
                            )) IS TRUE AS counts_more
                        FROM forum_answer answer
                        WHERE answer.question_id = q.id AND answer.visibility <> 'withdrawn'
                    ) answers
                ) a ON true
                -- A fence: the public vector is computed once, then reused.
                OFFSET 0
                ) documents
                ON CONFLICT (question_id) DO UPDATE SET public_vector = EXCLUDED.public_vector,
                    full_vector = EXCLUDED.full_vector, updated_at = EXCLUDED.updated_at""",
                [ContentType.objects.db_manager(using).get_for_model(Question).pk],
            )
            return cursor.rowcount

    def rebuild_answer_vectors(self, *, using: str) -> int:
        """Every answer's stored vector, set-wise in batches of ids (bulk
        loads; the services keep them current through index())."""
        done = 0
        with connections[using].cursor() as cursor:
            cursor.execute("SELECT min(id), max(id) FROM forum_answer")
            low, high = cursor.fetchone()
            if low is None:
                return 0
            for start in range(low, high + 1, ANSWER_BATCH):
                cursor.execute(
                    f"""INSERT INTO forum_answersearchvector (answer_id, vector, body_digest)
                    SELECT a.id, {ANSWER_VECTOR % "a"}, {ANSWER_DIGEST % "a"}
                    FROM forum_answer a LEFT JOIN forum_answersearchvector v ON v.answer_id = a.id
                    WHERE a.id >= %s AND a.id < %s AND v.body_digest IS DISTINCT FROM {ANSWER_DIGEST % "a"}
                    ON CONFLICT (answer_id) DO UPDATE
                        SET vector = EXCLUDED.vector, body_digest = EXCLUDED.body_digest""",
                    [start, start + ANSWER_BATCH],
                )
                done += cursor.rowcount
        return done

    def add_terms(self, words: Iterable[str], *, using: str) -> None:
        words = sorted(words)
        if words:
            with connections[using].cursor() as cursor:
                cursor.execute(
                    "INSERT INTO forum_searchterm (word) SELECT unnest(%s::text[]) ON CONFLICT (word) DO NOTHING",
                    [words],
                )

    def rebuild_terms(self, *, using: str) -> None:
        # ts_stat reads every public text once; 'simple' keeps words whole
        # (lower case, accents kept), which is what a correction shows.
        with connections[using].cursor() as cursor:
            cursor.execute("DELETE FROM forum_searchterm")
            cursor.execute(
                """INSERT INTO forum_searchterm (word)
                SELECT word FROM ts_stat($q$
                    SELECT to_tsvector('simple', q.title || ' ' || q.body) FROM forum_question q
                    WHERE q.visibility = 'published'
                    UNION ALL
                    SELECT to_tsvector('simple', a.body) FROM forum_answer a
                    JOIN forum_question q ON q.id = a.question_id
                    WHERE a.visibility = 'published' AND q.visibility = 'published'
                $q$)
                WHERE length(word) BETWEEN 4 AND 40 AND word ~ '^[[:alpha:]]+$'
                ON CONFLICT (word) DO NOTHING"""
            )

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
        tsquery = SearchQuery(query, config=CONFIG, search_type="websearch")
        vector = "search_document__full_vector" if moderator else "search_document__public_vector"
        if candidates is None:
            # The public vector is NULL unless the question is published: it
            # holds exactly what anyone may read.
            matches = Question.objects.filter(search_document__public_vector=tsquery)
            if sort == "relevance" and not moderator:
                hits, pool = self._find_public(query, offset=offset, limit=limit)
                return hits, matches, pool
            candidates = Question.objects.filter(visibility=Visibility.PUBLISHED)
        matches = candidates.filter(**{vector: tsquery})
        if sort == "relevance":
            # ts_rank reads a whole document (every answer of the thread): over
            # every match of a common word ("contrat" matches most threads) it
            # took seconds. Only a bounded pool is ranked: the newest matches,
            # which an index gives in order. A query with fewer matches than the
            # pool (most real queries) is ranked exactly; a commoner one ranks
            # its newest RANK_POOL matches, as many as the cursor may reach.
            ids = matches.order_by("-pk").values_list("pk", flat=True)[: max(RANK_POOL, offset + limit)]
            ordering, window = ("-rank", "-id"), slice(offset, offset + limit)
        else:
            # The page first, in index order; only its rows are ranked.
            ids = matches.order_by("-created_at", "-id").values("pk")[offset : offset + limit]
            ordering, window = ("-created_at", "-id"), slice(0, limit)
        # Either order has the same trap (see DENSE_SHARE).
        sparse = self._estimated_share(vector.removeprefix("search_document__"), query) < DENSE_SHARE
        pool = None
        with _bitmap_scans_only() if sparse else nullcontext():
            if sort == "relevance":
                # The pool is read on its own: its ids are also the newest
                # matches, which the page counts its facets over (no second
                # search of a filtered query: with a tag, up to 0.7 s here).
                ids = pool = list(ids)
            rows = Question.objects.filter(pk__in=ids).annotate(rank=SearchRank(F(vector), tsquery, weights=WEIGHTS))
            if moderator:
                rows = rows.annotate(
                    public_match=ExpressionWrapper(
                        Q(search_document__public_vector=tsquery), output_field=BooleanField()
                    )
                )
            questions = (
                []
                if pool == []
                else list(rows.defer("body", "body_html").select_related("author").order_by(*ordering)[window])
            )
        return self._hits(query, questions, moderator=moderator), matches, pool

    def newest(self, query: str, *, moderator: bool, candidates: QuerySet[Question] | None, limit: int) -> list[int]:
        """The ids of the newest `limit` matches, newest first, in one query
        through the same plans as the ranking pool (see DENSE_SHARE)."""
        if candidates is None:
            with connections["default"].cursor() as cursor:
                cursor.execute(
                    f"""SELECT question_id FROM forum_searchdocument, websearch_to_tsquery('{CONFIG}', %s) tsq
                    WHERE public_vector @@ tsq ORDER BY {self._public_order(query)} DESC LIMIT %s""",
                    [query, limit],
                )
                return [row[0] for row in cursor.fetchall()]
        column = "full_vector" if moderator else "public_vector"
        tsquery = SearchQuery(query, config=CONFIG, search_type="websearch")
        matches = candidates.filter(**{f"search_document__{column}": tsquery}).order_by("-pk")
        with _bitmap_scans_only() if self._estimated_share(column, query) < DENSE_SHARE else nullcontext():
            return list(matches.values_list("pk", flat=True)[:limit])

    def _public_order(self, query: str) -> str:
        """How to take the newest public matches: by walking the primary key
        backwards when most documents match (it stops after the pool), else
        through the GIN index and a sort: `question_id + 0` is not the indexed
        column, so the planner cannot pick the walk (see DENSE_SHARE)."""
        return "question_id" if self._estimated_share("public_vector", query) >= DENSE_SHARE else "question_id + 0"

    def _find_public(self, query: str, *, offset: int, limit: int) -> tuple[list[Hit], list[int]]:
        """Relevance for anyone but a moderator, without filters: the pool and
        its ranking read the search documents alone (no join, so no plan that
        fetches every published question to hash them), then only the page's
        questions are loaded. Also returns the pool's ids, newest first: the
        newest matches, which the page counts its facets over without
        searching again."""
        pool = max(RANK_POOL, offset + limit)
        with connections["default"].cursor() as cursor:
            # Every ranked row comes back (a few hundred pairs of numbers), so
            # that the pool's ids serve as the sample of the matches.
            cursor.execute(
                f"""SELECT question_id, ts_rank(%s::float4[], public_vector, tsq) AS rank
                FROM (
                    SELECT question_id, public_vector FROM forum_searchdocument,
                        websearch_to_tsquery('{CONFIG}', %s) tsq
                    WHERE public_vector @@ tsq ORDER BY {self._public_order(query)} DESC LIMIT %s
                ) pool, websearch_to_tsquery('{CONFIG}', %s) tsq
                ORDER BY rank DESC, question_id DESC""",
                [WEIGHTS, query, pool, query],
            )
            pooled = cursor.fetchall()
        newest = sorted((pk for pk, _rank in pooled), reverse=True)
        ranked = dict(pooled[offset : offset + limit])
        if not ranked:
            return [], newest
        by_id = {question.pk: question for question in _SHOWN_QUESTIONS.instances(list(ranked), timezone.now())}
        questions = []
        for pk, rank in ranked.items():
            # A question deleted since the ranking read is simply left out.
            if pk in by_id:
                by_id[pk].rank = rank
                questions.append(by_id[pk])
        return self._hits(query, questions, moderator=False), newest

    def _hits(self, query: str, questions: list[Question], *, moderator: bool) -> list[Hit]:
        if not questions:
            return []
        snippets = self._snippets(query, [q.pk for q in questions], moderator=moderator)
        hits = []
        for question in questions:
            title_html, snippet_html, answer_id, answer_visibility, answer_html = snippets[question.pk]
            hits.append(
                Hit(
                    question=question,
                    rank=float(question.rank),
                    title_html=title_html,
                    snippet_html=snippet_html,
                    answer_id=answer_id,
                    answer_snippet_html=answer_html,
                    answer_visibility=answer_visibility,
                    has_verified_answer=getattr(question, "verified", None),
                    moderation_only=moderator and not question.public_match,
                )
            )
        return hits

    def _estimated_share(self, column: str, query: str) -> float:
        """The planner's estimate of the share of documents matching `query`
        (from the tsvector statistics of ANALYZE; close to the truth on the
        national seed): no rows are read. Kept per process for a while: it
        only steers a plan, and statistics move slowly."""
        key = (connections["default"].settings_dict["NAME"], column, query)
        share = _shares.get(key)
        if share is None:
            share = self._planner_share(column, query)
            _shares.set(key, share)
        return share

    def _planner_share(self, column: str, query: str) -> float:
        with connections["default"].cursor() as cursor:
            cursor.execute(
                f"""EXPLAIN (FORMAT JSON) SELECT 1 FROM forum_searchdocument
                WHERE {column} @@ websearch_to_tsquery('{CONFIG}', %s)""",
                [query],
            )
            plan = cursor.fetchone()[0]
            plan = json.loads(plan) if isinstance(plan, str) else plan
            cursor.execute("SELECT reltuples FROM pg_class WHERE oid = 'forum_searchdocument'::regclass")
            total = cursor.fetchone()[0]
        return plan[0]["Plan"]["Plan Rows"] / total if total and total > 0 else 0.0

    def _snippets(self, query: str, ids: list[int], *, moderator: bool) -> dict[int, tuple]:
        """Per question: the title and an excerpt of the question, highlighted,
        and the best matching answer among those the viewer may read (the
        accepted one if it matches, else the best ranked) with its excerpt.
        The question's own text: whoever found the thread may read it
        (candidates were narrowed by forum.permissions.visible_questions)."""
        visibilities = MODERATOR_ANSWER_VISIBILITIES if moderator else [Visibility.PUBLISHED]
        # The best answer of each thread is chosen from the stored vectors;
        # ts_headline, the costly part, runs on that one only. An answer
        # without a stored vector yet is parsed here.
        with connections["default"].cursor() as cursor:
            cursor.execute(
                f"""SELECT q.id, ts_headline('{CONFIG}', q.title, tsq, %s),
                    ts_headline('{CONFIG}', regexp_replace(q.body, '[*_`#>]+', '', 'g'), tsq, %s),
                    best.id, best.visibility,
                    ts_headline('{CONFIG}', regexp_replace(left(best.body, %s), '[*_`#>]+', '', 'g'), tsq, %s)
                FROM forum_question q
                CROSS JOIN websearch_to_tsquery('{CONFIG}', %s) tsq
                LEFT JOIN LATERAL (
                    SELECT a.id, a.visibility, a.body
                    FROM forum_answer a
                    LEFT JOIN forum_answersearchvector stored ON stored.answer_id = a.id,
                        LATERAL (SELECT coalesce(stored.vector, {ANSWER_VECTOR % "a"}) AS vector) v
                    WHERE a.question_id = q.id AND a.visibility = ANY(%s) AND v.vector @@ tsq
                    ORDER BY (a.id = q.accepted_answer_id) IS TRUE DESC, ts_rank(v.vector, tsq) DESC, a.id
                    LIMIT 1
                ) best ON true
                WHERE q.id = ANY(%s)""",
                [
                    TITLE_HEADLINE,
                    BODY_HEADLINE,
                    ANSWER_SNIPPET_SOURCE,
                    BODY_HEADLINE,
                    query,
                    [str(v) for v in visibilities],
                    ids,
                ],
            )
            return {
                row[0]: (
                    marked_html(row[1]),
                    marked_html(row[2]),
                    row[3],
                    row[4],
                    marked_html(row[5]) if row[3] is not None else "",
                )
                for row in cursor.fetchall()
            }

    def related(self, text: str, *, candidates: QuerySet[Question], limit: int) -> list[Question]:
        # Titles only, through the expression index of the search_speed migration (a
        # title is a few words: ranking them is cheap, where the whole
        # document's ts_rank over every thread sharing one common word took
        # most of a second). The title's words as prefixes: the last word is
        # often still being typed, and "apprenti" should meet "apprentissage".
        # \w+ words carry no to_tsquery syntax.
        words = [w for w in significant_words(text) if w.replace("_", "").isalnum()]
        if not words:
            return []
        candidates = candidates.annotate(title_vector=TITLE_VECTOR)
        found: list[Question] = []
        # Threads with every word first, then any word (a new title rarely
        # repeats an old one word for word). Of each, only the newest
        # SIMILAR_POOL are ranked: one common word matches thousands of titles.
        for operator in (" & ", " | "):
            if len(found) >= limit or (operator == " | " and len(words) == 1):
                break
            tsquery = SearchQuery(operator.join(f"{w}:*" for w in words), config=CONFIG, search_type="raw")
            matches = candidates.filter(title_vector=tsquery).exclude(pk__in=[q.pk for q in found])
            pool = Question.objects.filter(pk__in=matches.order_by("-pk").values("pk")[:SIMILAR_POOL])
            found += list(
                pool.annotate(rank=SearchRank(TITLE_VECTOR, tsquery)).order_by("-rank", "-id")[: limit - len(found)]
            )
        return found

    def correction(self, query: str) -> str | None:
        corrected, changed = [], False
        with connections["default"].cursor() as cursor:
            for word in significant_words(query):
                lowered = word.lower()
                if len(lowered) < 4 or not lowered.isalpha():
                    corrected.append(word)
                    continue
                # `%%` is pg_trgm's "similar enough" operator (GIN-indexed), `<->` its distance.
                cursor.execute(
                    "SELECT word FROM forum_searchterm WHERE word %% %s ORDER BY word <-> %s, word LIMIT 1",
                    [lowered, lowered],
                )
                row = cursor.fetchone()
                if row and row[0] != lowered:
                    corrected.append(row[0])
                    changed = True
                else:
                    corrected.append(word)
        return " ".join(corrected) if changed else None
