"""Alternance facets over REST: given when asking or editing (400 on a value
outside the lists), returned with every thread, filtered and counted; the
discovery lists as list parameters."""

from datetime import timedelta

import pytest
from django.utils import timezone

from api.tests.conftest import error_of, token_client
from forum.models import Question
from forum.services.questions import ask_question
from tests.factories import make_answer, make_question

pytestmark = pytest.mark.usefixtures("fast_password_hashing")

NEW_THREAD = {
    "title": "Rupture de contrat d'apprentissage pendant la période d'essai",
    "body": "Mon entreprise veut rompre mon contrat après 30 jours : quels sont mes droits ?",
    "tags": ["rupture"],
}


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["results"]]


def ask(author, n: int, **facets) -> Question:
    return ask_question(
        author=author,
        title=f"Question numéro {n} sur l'alternance",
        body=f"Je cherche une entreprise pour la rentrée, quelles démarches ? ({n})",
        tags=["bts"],
        **facets,
    )


def test_asking_with_facets_returns_them(student):
    response = token_client(student).post(
        "/api/v1/threads/", {**NEW_THREAD, "diploma": "cap", "region": "guyane"}, format="json"
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["diploma"], body["contract"], body["sector"], body["region"]) == ("cap", None, None, "guyane")


def test_a_facet_outside_the_lists_is_a_400_naming_the_field(student):
    response = token_client(student).post(
        "/api/v1/threads/", {**NEW_THREAD, "contract": "cdi", "sector": "informatique"}, format="json"
    )

    assert list(error_of(response, 400)["fields"]) == ["contract"]
    assert not Question.objects.exists()


def test_editing_sets_and_clears_facets_and_keeps_the_others(student):
    question = ask(student, 1, region="bretagne", sector="commerce")

    response = token_client(student).patch(
        f"/api/v1/threads/{question.pk}/", {"sector": "", "diploma": "master"}, format="json"
    )

    assert response.status_code == 200, response.content
    assert (response.json()["region"], response.json()["sector"], response.json()["diploma"]) == (
        "bretagne",
        None,
        "master",
    )


def test_the_list_filters_by_facets(anonymous, student):
    breton_bts = ask(student, 1, region="bretagne", diploma="bts")
    ask(student, 2, region="bretagne", diploma="master")
    ask(student, 3, region="corse", diploma="bts")

    assert ids(anonymous.get("/api/v1/threads/?region=bretagne&diploma=bts")) == [breton_bts.pk]
    assert len(ids(anonymous.get("/api/v1/threads/?diploma=bts"))) == 2
    assert list(error_of(anonymous.get("/api/v1/threads/?region=atlantide"), 400)["fields"]) == ["region"]


def test_facet_counts_follow_the_list_parameters(anonymous, student):
    ask(student, 1, region="bretagne", diploma="bts")
    ask(student, 2, region="bretagne", diploma="master")
    ask(student, 3, region="corse", diploma="bts")

    response = anonymous.get("/api/v1/threads/facets/?region=bretagne", headers={"accept-language": "fr"})

    assert response.status_code == 200
    facets = {f["name"]: f for f in response.json()["facets"]}
    assert list(facets) == ["diploma", "contract", "sector", "region"]
    assert [(v["value"], v["count"]) for v in facets["diploma"]["values"]] == [("bts", 1), ("master", 1)]
    assert facets["region"]["values"] == [
        {"value": "bretagne", "label": "Bretagne", "count": 2, "selected": True},
        {"value": "corse", "label": "Corse", "count": 1, "selected": False},
    ]
    assert list(error_of(anonymous.get("/api/v1/threads/facets/?sector=mines"), 400)["fields"]) == ["sector"]


def test_unanswered_oldest_first_for_hr(anonymous, student, other_student):
    newer = make_question(author=student)
    older = make_question(author=student)
    Question.objects.filter(pk=older.pk).update(created_at=timezone.now() - timedelta(days=9))
    make_answer(author=other_student, question=make_question(author=student))

    assert ids(anonymous.get("/api/v1/threads/?status=unanswered&ordering=oldest")) == [older.pk, newer.pk]


def test_popular_this_week_pages_by_cursor(anonymous, student, other_student, third_student):
    threads = [make_question(author=student) for _ in range(3)]
    for count, thread in zip((1, 2, 0), threads, strict=True):
        for author in (other_student, third_student)[:count]:
            make_answer(author=author, question=thread)

    first = anonymous.get("/api/v1/threads/?ordering=hot&page_size=1")
    second = anonymous.get(first.json()["next"])

    assert ids(first) == [threads[1].pk]
    assert ids(second) == [threads[0].pk]
    assert second.json()["next"] is None
