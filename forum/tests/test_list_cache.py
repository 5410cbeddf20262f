"""The shared caches of list parts (forum.list_cache): facet counts and the
top ids of "popular this week" are computed once per list version, and are
exact again as soon as a question is asked, answered or hidden (issue 16)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from forum import queries
from forum.models import FACETS
from forum.services.moderation import hide_post
from forum.services.questions import ask_question
from forum.thread_filters import ThreadFilters
from tests.factories import make_answer, make_question

DIPLOMA = FACETS["diploma"].values[0]


def ask(author, n: int, **facets):
    return ask_question(
        author=author,
        title=f"Question numéro {n} sur l'alternance",
        body=f"Je cherche une entreprise pour la rentrée, quelles démarches ? ({n})",
        tags=["bts"],
        **facets,
    )


def diploma_count(**params) -> int:
    counts = queries.public_facet_counts(ThreadFilters(), **params)
    values = {value.value: value.count for facet in counts if facet.name == "diploma" for value in facet.values}
    return values.get(DIPLOMA, 0)


def test_facet_counts_follow_asking_and_hiding(student, moderator):
    ask(student, 1, diploma=DIPLOMA)
    assert diploma_count() == 1
    assert diploma_count(tag="bts") == 1

    second = ask(student, 2, diploma=DIPLOMA)
    assert diploma_count() == 2
    assert diploma_count(tag="BTS") == 2

    hide_post(moderator=moderator, post=second, clause="respect", note="Hors sujet.")
    assert diploma_count() == 1
    assert diploma_count(tag="bts") == 1


def test_cached_facet_counts_cost_one_query(student):
    ask(student, 1, diploma=DIPLOMA)
    diploma_count()
    with CaptureQueriesContext(connection) as captured:
        assert diploma_count() == 1
    # The list's version (its newest event); the counts come from the cache.
    assert len(captured) == 1


def test_counts_are_the_public_ones_whoever_reads(student, other_student):
    ask(student, 1, diploma=DIPLOMA)
    ask(other_student, 2, diploma=DIPLOMA)
    # The member's list and the anonymous one share one entry: the same numbers.
    assert diploma_count(status="all") == 2
    assert diploma_count(status="unanswered") == 2


def test_hot_list_is_cached_and_follows_new_answers(student, other_student):
    first = make_question(author=student)
    second = make_question(author=student)
    make_answer(author=other_student, question=first)
    assert list(queries.question_list(None, ordering="hot")) == [first]

    with CaptureQueriesContext(connection) as captured:
        list(queries.question_list(None, ordering="hot").prefetch_related(None).select_related(None))
    # The version and the rows: the week's grouped counts are not run again.
    assert len(captured) == 2

    make_answer(author=other_student, question=second)
    make_answer(author=student, question=second)
    assert list(queries.question_list(None, ordering="hot")) == [second, first]
