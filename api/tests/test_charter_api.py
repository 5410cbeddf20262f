"""The charter that teaches, for the app: composer hints, their dismissal,
a moderation decision explained, and the notification that leads to it."""

import pytest

from api.tests.conftest import error_of
from forum.models import CharterClause
from forum.services.moderation import hide_post
from forum.services.sanctions import warn_member
from tests.factories import make_answer


def test_a_new_student_gets_the_student_hints(as_user, student):
    response = as_user(student).get("/api/v1/me/composer-hints/?context=question")
    assert response.status_code == 200
    body = response.json()
    assert (body["role"], body["reason"]) == ("student", "first_posts")
    assert [hint["key"] for hint in body["hints"]] == ["privacy", "no_names", "one_question"]
    assert body["hints"][0]["clause"] == "personal_data"
    assert body["hints"][0]["clause_url"] == "http://testserver/charte/#clause-personal_data"


def test_the_context_is_required_and_checked(as_user, student):
    error = error_of(as_user(student).get("/api/v1/me/composer-hints/?context=chat"), 400)
    assert "context" in error["fields"]
    error_of(as_user(student).get("/api/v1/me/composer-hints/"), 400)


def test_anonymous_callers_are_refused(anonymous):
    error_of(anonymous.get("/api/v1/me/composer-hints/?context=answer"), 401)
    error_of(anonymous.post("/api/v1/me/composer-hints/dismiss/"), 401)


def test_dismissing_from_the_app_hides_them_on_the_web_too(as_user, student, client):
    response = as_user(student).post("/api/v1/me/composer-hints/dismiss/")
    assert response.status_code == 200
    assert response.json()["dismissed_at"].endswith("Z")
    assert as_user(student).get("/api/v1/me/composer-hints/?context=answer").json()["hints"] == []
    client.force_login(student)
    assert b"data-charter-hints" not in client.get("/questions/poser/").content


def test_moderators_get_no_hints(as_user, moderator):
    body = as_user(moderator).get("/api/v1/me/composer-hints/?context=answer").json()
    assert body == {"role": None, "reason": None, "hints": []}


@pytest.fixture
def hidden(question, other_student, moderator, django_capture_on_commit_callbacks):
    answer = make_answer(author=other_student, question=question)
    with django_capture_on_commit_callbacks(execute=True):
        item = hide_post(moderator=moderator, post=answer, clause=CharterClause.SPAM, note="Pas d'annonce ici.")
    return answer, item


def test_the_author_reads_the_decision_explained(as_user, other_student, hidden):
    answer, item = hidden
    response = as_user(other_student).get(f"/api/v1/moderation/decisions/{item.pk}/")
    assert response.status_code == 200
    body = response.json()
    assert body["decision"] == "hide"
    assert (body["post_type"], body["post_id"]) == ("answer", answer.pk)
    assert body["clause"] == "spam"
    assert set(body["clause_example"]) == {"good", "bad"}
    assert body["note"] == "Pas d'annonce ici."
    assert body["can_appeal"] is True
    assert body["outcome_url"] == f"http://testserver/moderation/decisions/{item.pk}/"


def test_others_get_404_and_moderators_200(as_user, student, moderator, hidden):
    _answer, item = hidden
    error_of(as_user(student).get(f"/api/v1/moderation/decisions/{item.pk}/"), 404)
    assert as_user(moderator).get(f"/api/v1/moderation/decisions/{item.pk}/").status_code == 200
    error_of(as_user(moderator).get("/api/v1/moderation/decisions/999999/"), 404)


def test_the_notification_carries_the_explanation(as_user, other_student, hidden):
    _answer, item = hidden
    rows = as_user(other_student).get("/api/v1/notifications/?kind=moderation").json()["results"]
    [row] = rows
    assert row["web_url"] == f"http://testserver/moderation/decisions/{item.pk}/"
    moderation = row["moderation"]
    assert moderation["review_item_id"] == item.pk
    assert moderation["clause"] == "spam"
    assert moderation["clause_title"]
    assert moderation["clause_example"]["bad"]
    assert moderation["outcome_url"] == row["web_url"]


def test_a_warning_explains_its_clause(as_user, student, moderator):
    sanction = warn_member(
        moderator=moderator, member=student, clause=CharterClause.RESPECT, message="Restez courtois."
    )
    [row] = as_user(student).get("/api/v1/me/warnings/").json()["results"]
    assert row["clause"] == "respect"
    assert row["clause_title"]
    assert set(row["clause_example"]) == {"good", "bad"}
    assert row["clause_url"] == "http://testserver/charte/#clause-respect"
    assert row["outcome_url"] == f"http://testserver/mes-avertissements/#sanction-{sanction.pk}"
