"""/api/v1/search/ and /api/v1/threads/similar/: thin front doors over
forum.search (whose behaviour forum/tests/test_search.py covers); here, the
contract: shape, paging, filters as parameters, bad input as 400s."""

import pytest

from api.tests.conftest import error_of
from forum.models import Question
from forum.services import answers as answer_services
from forum.services import moderation
from tests.factories import make_answer, make_question

SEARCH = "/api/v1/search/"
SIMILAR = "/api/v1/threads/similar/"


@pytest.fixture
def solved_thread(student, other_student):
    question = make_question(
        author=student, title="Contrat d'apprentissage et période d'essai", body="Mon employeur parle de 45 jours."
    )
    answer = make_answer(
        author=other_student, question=question, body="La période d'essai d'un contrat dure 45 jours en entreprise."
    )
    answer_services.accept_answer(user=student, answer=answer)
    return question, answer


def test_results_carry_the_thread_the_highlights_and_the_matching_answer(anonymous, solved_thread):
    question, answer = solved_thread
    body = anonymous.get(SEARCH, {"q": "contrats essai"}).json()
    assert body["next"] is None
    assert body["did_you_mean"] is None
    [result] = body["results"]
    assert result["thread"]["id"] == question.pk
    assert result["thread"]["status"] == "solved"
    assert "<mark>" in result["title_html"]
    assert result["matching_answer"]["id"] == answer.pk
    assert "<mark>" in result["matching_answer"]["snippet_html"]
    assert result["moderation_only"] is False


def test_filters_and_sort_are_parameters(anonymous, solved_thread, student):
    other = make_question(author=student, title="Contrat pro : quelle durée ?", tags=("contrat-pro",))
    ids = [r["thread"]["id"] for r in anonymous.get(SEARCH, {"q": "contrat", "status": "unanswered"}).json()["results"]]
    assert ids == [other.pk]
    ids = [r["thread"]["id"] for r in anonymous.get(SEARCH, {"q": "contrat", "tag": "contrat-pro"}).json()["results"]]
    assert ids == [other.pk]
    ids = [r["thread"]["id"] for r in anonymous.get(SEARCH, {"q": "contrat", "sort": "recency"}).json()["results"]]
    assert ids == [other.pk, solved_thread[0].pk]


def test_the_next_link_pages_on(anonymous, student):
    for n in range(22):
        make_question(author=student, title=f"Stage numéro {n} en alternance ?", body=f"Une question de stage n° {n}.")
    first = anonymous.get(SEARCH, {"q": "stage"}).json()
    assert len(first["results"]) == 20
    second = anonymous.get(first["next"]).json()
    assert len(second["results"]) == 2
    assert second["next"] is None


def test_a_typo_is_corrected_and_said(anonymous, solved_thread):
    body = anonymous.get(SEARCH, {"q": "contrta"}).json()
    assert body["corrected"] is True
    assert body["did_you_mean"] == "contrat"
    assert body["results"]


def test_a_hidden_thread_is_found_by_moderators_only_and_flagged(anonymous, as_user, solved_thread, moderator):
    question, _answer = solved_thread
    moderation.hide_post(moderator=moderator, post=question, clause="respect")
    assert anonymous.get(SEARCH, {"q": "contrat"}).json()["results"] == []
    [result] = as_user(moderator).get(SEARCH, {"q": "contrat"}).json()["results"]
    assert result["moderation_only"] is True


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"q": "x" * 201}, "q"),
        ({}, "q"),
        ({"q": "  "}, "q"),
        ({"q": "le la"}, "q"),
        ({"q": "contrat", "status": "hot"}, "status"),
        ({"q": "contrat", "sort": "votes"}, "sort"),
        ({"q": "contrat", "since": "2026-13-01"}, "since"),
        ({"q": "contrat", "since": "2026-05-02", "until": "2026-05-01"}, "until"),
        ({"q": "contrat", "cursor": "not-ours"}, "cursor"),
    ],
)
def test_bad_parameters_are_400s_with_field_errors(anonymous, db, params, field):
    error = error_of(anonymous.get(SEARCH, params), 400)
    assert field in error["fields"]


def test_similar_threads_for_a_title_being_typed(anonymous, solved_thread, student):
    question, _answer = solved_thread
    body = anonymous.get(SIMILAR, {"title": "Période d'essai en apprentissage"}).json()
    [result] = body["results"]
    assert result["id"] == question.pk
    assert result["status"] == "solved"
    assert result["has_verified_answer"] is False
    assert result["web_url"].endswith(question.get_absolute_url())
    assert anonymous.get(SIMILAR, {"title": ""}).json() == {"results": []}
    assert "title" in error_of(anonymous.get(SIMILAR, {"title": "x" * 151}), 400)["fields"]


def test_search_costs_a_fixed_number_of_queries(anonymous, student, django_assert_max_num_queries):
    for n in range(12):
        make_question(author=student, title=f"Salaire apprenti numéro {n} ?", body=f"Question de salaire n° {n}.")
    # Search, tags, authors' badges, snippets, matching answers, verified
    # flags: the same budget for 1 result or 20.
    with django_assert_max_num_queries(12):
        assert len(anonymous.get(SEARCH, {"q": "salaire"}).json()["results"]) == 12


def test_the_alternance_facets_filter_results(anonymous, solved_thread, student):
    other = make_question(author=student, title="Contrat pro : quelle durée ?", tags=("contrat-pro",))
    Question.objects.filter(pk=other.pk).update(diploma="bts", region="bretagne")

    ids = [r["thread"]["id"] for r in anonymous.get(SEARCH, {"q": "contrat", "diploma": "bts"}).json()["results"]]
    assert ids == [other.pk]
    assert anonymous.get(SEARCH, {"q": "contrat", "region": "occitanie"}).json()["results"] == []
    response = anonymous.get(SEARCH, {"q": "contrat", "diploma": "doctorat-es-lettres"})
    assert "diploma" in error_of(response, 400)["fields"]


def test_anonymous_readers_share_one_search_per_version(
    anonymous, solved_thread, other_student, moderator, django_assert_num_queries
):
    question, answer = solved_thread
    first = anonymous.get(SEARCH, {"q": "essai"}).json()
    assert [hit["thread"]["id"] for hit in first["results"]] == [question.pk]
    with django_assert_num_queries(1):  # the version; nothing is searched
        assert anonymous.get(SEARCH, {"q": "essai"}).json() == first

    # Anything that changes a thread publishes an event: the next reader searches again.
    answer_services.edit_answer(editor=other_student, answer=answer, body="Une période d'essai de deux mois.")
    [hit] = anonymous.get(SEARCH, {"q": "essai"}).json()["results"]
    assert "deux mois" in hit["matching_answer"]["snippet_html"]
    moderation.hide_post(moderator=moderator, post=question, clause="spam")
    assert anonymous.get(SEARCH, {"q": "essai"}).json()["results"] == []


def test_an_unchanged_search_is_a_304(anonymous, solved_thread):
    etag = anonymous.get(SEARCH, {"q": "essai"})["ETag"]
    response = anonymous.get(SEARCH, {"q": "essai"}, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert anonymous.get(SEARCH, {"q": "contrat"}, HTTP_IF_NONE_MATCH=etag).status_code == 200
