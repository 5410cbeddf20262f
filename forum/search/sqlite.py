"""SQLite, the embedded default: FTS5 with accent folding
(`unicode61 remove_diacritics 2`, migration 0009) and bm25 ranking.

FTS5 has no French stemmer, so matching is simpler than on PostgreSQL and
documented as such (docs/architecture.md): every significant word of the
query must appear, as a prefix, after dropping a plural `s`/`x` and then a
final `e` ("contrats" matches "contrat", "apprentie" matches "apprenti",
"contractuel" does not match "contrat"). Snippets are
highlighted in Python with the same rule. Corrections compare the lexicon
with difflib instead of trigrams.
"""

import difflib
from collections.abc import Iterable

from django.db import connections
from django.db.models import Case, FloatField, QuerySet, Value, When

from forum.models import Answer, Question, SearchTerm, Visibility
from forum.search.text import Sections, fold, highlight, significant_words
from forum.search.types import Hit

PUBLIC_TABLE, FULL_TABLE = "forum_search_public", "forum_search_full"
# bm25 weights of title, tags, body, boosted answers, other answers.
BM25 = "10.0, 5.0, 2.0, 5.0, 1.0"
# The ranked ids read from FTS5 per search; filters and visibility then apply
# in SQL. The embedded default serves small forums: enough.
MAX_MATCHES = 2000
SNIPPET_WORDS = 30
MODERATOR_ANSWER_VISIBILITIES = [Visibility.PUBLISHED, Visibility.PENDING, Visibility.HIDDEN]


def terms_of(query: str) -> list[str]:
    """Folded query words, a plural `s`/`x` dropped from words of 4 letters or
    more, then a final `e` from words of 5 or more (a feminine: "apprentie"
    and "apprenties" find "apprenti", "alternante" finds "alternant")."""
    terms = []
    for word in significant_words(query):
        term = fold(word)
        if len(term) >= 4 and term[-1] in "sx":
            term = term[:-1]
        if len(term) >= 5 and term[-1] == "e":
            term = term[:-1]
        if term not in terms:
            terms.append(term)
    return terms


def match_expression(terms: list[str], *, any_term: bool = False) -> str:
    # Each term quoted (FTS5 syntax in a query is taken as text) and a prefix.
    joiner = " OR " if any_term else " "
    return joiner.join('"{}"*'.format(term.replace('"', '""')) for term in terms)


class SqliteBackend:
    def index(self, question_id: int, public: Sections | None, full: Sections | None, *, using: str) -> None:
        with connections[using].cursor() as cursor:
            for table, sections in ((PUBLIC_TABLE, public), (FULL_TABLE, full)):
                cursor.execute(f"DELETE FROM {table} WHERE rowid = %s", [question_id])
                if sections is not None:
                    cursor.execute(
                        f"INSERT INTO {table} (rowid, title, tags, body, boosted, answers) "
                        "VALUES (%s, %s, %s, %s, %s, %s)",
                        [question_id, sections.title, sections.tags, sections.body, sections.boosted, sections.answers],
                    )

    def add_terms(self, words: Iterable[str], *, using: str) -> None:
        SearchTerm.objects.using(using).bulk_create(
            [SearchTerm(word=word) for word in sorted(words)], ignore_conflicts=True
        )

    def rebuild_terms(self, *, using: str) -> None:
        # index_thread already added the public words of every thread.
        pass

    def _ranked_ids(self, table: str, terms: list[str], *, any_term: bool = False) -> list[tuple[int, float]]:
        if not terms:
            return []
        with connections["default"].cursor() as cursor:
            cursor.execute(
                f"SELECT rowid, bm25({table}, {BM25}) AS score FROM {table} WHERE {table} MATCH %s "
                f"ORDER BY score LIMIT {MAX_MATCHES}",
                [match_expression(terms, any_term=any_term)],
            )
            # bm25 is lower for better matches; a rank is higher for better.
            return [(row[0], -row[1]) for row in cursor.fetchall()]

    def newest(self, query: str, *, moderator: bool, candidates: QuerySet[Question] | None, limit: int) -> list[int]:
        """The ids of the newest `limit` matches, newest first."""
        if candidates is None:
            candidates = Question.objects.filter(visibility=Visibility.PUBLISHED)
        ranked = self._ranked_ids(FULL_TABLE if moderator else PUBLIC_TABLE, terms_of(query))
        matches = candidates.filter(pk__in=[pk for pk, _score in ranked]).order_by("-pk")
        return list(matches.values_list("pk", flat=True)[:limit])

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
        if candidates is None:
            candidates = Question.objects.filter(visibility=Visibility.PUBLISHED)
        terms = terms_of(query)
        ranked = dict(self._ranked_ids(FULL_TABLE if moderator else PUBLIC_TABLE, terms))
        matches = candidates.filter(pk__in=list(ranked))
        if not ranked:
            return [], matches, None
        rank = Case(*[When(pk=pk, then=Value(score)) for pk, score in ranked.items()], output_field=FloatField())
        ordering = ("-rank", "-id") if sort == "relevance" else ("-created_at", "-id")
        questions = list(
            matches.annotate(rank=rank).select_related("author").order_by(*ordering)[offset : offset + limit]
        )
        if not questions:
            return [], matches, None
        public_ids = set(dict(self._ranked_ids(PUBLIC_TABLE, terms))) if moderator else None
        answers = self._matching_answers(terms, [q.pk for q in questions], moderator=moderator)
        hits = []
        for question in questions:
            answer = answers.get(question.pk)
            hits.append(
                Hit(
                    question=question,
                    rank=question.rank,
                    title_html=highlight(question.title, terms),
                    snippet_html=highlight(question.body, terms, context_words=SNIPPET_WORDS),
                    answer_id=answer.pk if answer else None,
                    answer_snippet_html=highlight(answer.body, terms, context_words=SNIPPET_WORDS) if answer else "",
                    answer_visibility=answer.visibility if answer else None,
                    moderation_only=moderator and question.pk not in public_ids,
                )
            )
        return hits, matches, None

    def _matching_answers(self, terms: list[str], ids: list[int], *, moderator: bool) -> dict[int, Answer]:
        """The best matching answer of each thread that the viewer may read:
        the accepted one if it matches, else the one matching most words."""
        visibilities = MODERATOR_ANSWER_VISIBILITIES if moderator else [Visibility.PUBLISHED]
        answers = Answer.objects.filter(question_id__in=ids, visibility__in=visibilities).select_related("question")
        best: dict[int, tuple[tuple, Answer]] = {}
        for answer in answers.only("id", "body", "visibility", "question_id", "question__accepted_answer_id"):
            words = {fold(w) for w in significant_words(answer.body, limit=10_000)}
            score = sum(1 for t in terms if any(w.startswith(t) for w in words))
            if not score:
                continue
            key = (answer.pk == answer.question.accepted_answer_id, score, -answer.pk)
            if answer.question_id not in best or key > best[answer.question_id][0]:
                best[answer.question_id] = (key, answer)
        return {question_id: answer for question_id, (_key, answer) in best.items()}

    def related(self, text: str, *, candidates: QuerySet[Question], limit: int) -> list[Question]:
        ranked = self._ranked_ids(PUBLIC_TABLE, terms_of(text), any_term=True)
        order = {pk: i for i, (pk, _score) in enumerate(ranked)}
        found = list(candidates.filter(pk__in=list(order)))
        return sorted(found, key=lambda q: order[q.pk])[:limit]

    def correction(self, query: str) -> str | None:
        corrected, changed = [], False
        for word in significant_words(query):
            lowered = word.lower()
            if len(lowered) < 4 or not lowered.isalpha():
                corrected.append(word)
                continue
            candidates = list(SearchTerm.objects.filter(word__startswith=lowered[:2]).values_list("word", flat=True))
            close = difflib.get_close_matches(lowered, candidates, n=1, cutoff=0.75)
            if close and close[0] != lowered:
                corrected.append(close[0])
                changed = True
            else:
                corrected.append(word)
        return " ".join(corrected) if changed else None
