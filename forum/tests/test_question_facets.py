"""Alternance facets: optional when asking, checked by the service, kept or
changed on edit, and filtered and counted by forum.thread_filters."""

import pytest

from forum import queries
from forum.exceptions import InvalidInput
from forum.models import PostRevision, Question
from forum.services.moderation import hide_post
from forum.services.questions import ask_question, edit_question
from forum.thread_filters import ThreadFilters
from tests.factories import make_question

BODY = "Je cherche une entreprise pour la rentrée, quelles démarches faire en premier ?"


def ask(author, n: int, **facets) -> Question:
    return ask_question(
        author=author, title=f"Question numéro {n} sur l'alternance", body=f"{BODY} ({n})", tags=["bts"], **facets
    )


def test_facets_are_optional_and_saved_when_given(student):
    bare = ask(student, 1)
    full = ask(student, 2, diploma="bts", contract="apprentissage", sector="informatique", region="la-reunion")

    assert (bare.diploma, bare.contract, bare.sector, bare.region) == ("", "", "", "")
    full.refresh_from_db()
    assert (full.diploma, full.contract, full.sector, full.region) == (
        "bts",
        "apprentissage",
        "informatique",
        "la-reunion",
    )


def test_a_value_outside_the_lists_is_a_field_error(student):
    with pytest.raises(InvalidInput) as refused:
        ask(student, 1, region="atlantide", sector="BTP")

    assert set(refused.value.fields) == {"region", "sector"}
    assert not Question.objects.exists()


def test_editing_only_the_facets_keeps_no_revision(student):
    question = ask(student, 1, region="bretagne")

    edit_question(editor=student, question=question, region="normandie", diploma="cap")

    question.refresh_from_db()
    assert (question.region, question.diploma, question.contract) == ("normandie", "cap", "")
    assert not PostRevision.objects.filter(question=question).exists()


def test_an_edit_leaves_facets_it_does_not_name_and_clears_those_set_to_empty(student):
    question = ask(student, 1, region="bretagne", sector="commerce")

    edit_question(editor=student, question=question, title="Un titre tout neuf pour ma question", sector="")

    question.refresh_from_db()
    assert (question.region, question.sector) == ("bretagne", "")
    assert question.title == "Un titre tout neuf pour ma question"


def test_filters_parse_strictly_or_leniently():
    with pytest.raises(InvalidInput) as refused:
        ThreadFilters.parse({"region": "atlantide", "diploma": "bts"})
    assert list(refused.value.fields) == ["region"]

    lenient = ThreadFilters.parse({"region": "atlantide", "diploma": "bts", "other": "x"}, lenient=True)
    assert lenient.active == {"diploma": "bts"}
    assert ThreadFilters.parse({}).active == {}


def test_apply_narrows_any_queryset_and_keeps_its_order(student):
    old = ask(student, 1, region="bretagne", diploma="bts")
    ask(student, 2, region="bretagne", diploma="master")
    new = ask(student, 3, region="bretagne", diploma="bts")
    ask(student, 4, region="corse", diploma="bts")

    listed = ThreadFilters(region="bretagne", diploma="bts").apply(queries.question_list(None, ordering="newest"))

    assert list(listed) == [new, old]


def test_facet_counts_count_each_facet_given_the_other_filters(student, moderator):
    ask(student, 1, region="bretagne", diploma="bts")
    ask(student, 2, region="bretagne", diploma="master")
    ask(student, 3, region="corse", diploma="bts")
    ask(student, 4)
    hidden = ask(student, 5, region="corse", diploma="bts")
    hide_post(moderator=moderator, post=hidden, clause="respect", note="Hors sujet.")

    counts = {f.name: f for f in ThreadFilters(region="bretagne").facet_counts(queries.question_list(None))}

    # Diplomas among the Breton questions; regions whatever the region chosen.
    assert [(v.value, v.count) for v in counts["diploma"].values] == [("bts", 1), ("master", 1)]
    assert [(v.value, v.count, v.selected) for v in counts["region"].values] == [
        ("bretagne", 2, True),
        ("corse", 1, False),
    ]
    assert counts["contract"].values == []


def test_facet_counts_cost_one_round_trip(student, django_assert_num_queries):
    for n in range(6):
        ask(student, n, region="bretagne" if n % 2 else "corse", diploma="bts")
    listed = queries.question_list(None, tag="bts", status="unanswered")

    with django_assert_num_queries(1):
        ThreadFilters(diploma="bts").facet_counts(listed)


def test_a_selected_value_with_no_thread_still_shows(student):
    make_question(author=student)

    counts = {f.name: f for f in ThreadFilters(region="mayotte").facet_counts(queries.question_list(None))}

    assert [(v.value, v.count, v.selected) for v in counts["region"].values] == [("mayotte", 0, True)]
