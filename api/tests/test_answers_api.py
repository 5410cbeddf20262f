import pytest

from api.tests.conftest import error_of, token_client
from forum.models import Answer, Question, Visibility, Vote
from forum.services.answers import accept_answer
from forum.services.votes import cast_vote
from tests.factories import make_answer, make_user

pytestmark = pytest.mark.usefixtures("fast_password_hashing")

ANSWER = {"body": "Demande à ton CFA : ils ont souvent une liste d'entreprises qui recrutent en *alternance*."}


def answer_ids(client, question) -> list[int]:
    return [a["id"] for a in client.get(f"/api/v1/threads/{question.pk}/answers/").json()["results"]]


def test_answers_come_accepted_first_then_most_helpful_then_oldest(anonymous, student, question):
    helpers = [make_user() for _ in range(3)]
    oldest, voted, accepted = (make_answer(author=helper, question=question) for helper in helpers)
    cast_vote(user=student, answer=voted)
    accept_answer(user=student, answer=accepted)

    assert answer_ids(anonymous, question) == [accepted.pk, voted.pk, oldest.pk]


def test_an_answer_carries_its_text_html_votes_and_what_the_member_may_do(student, question, answer):
    cast_vote(user=student, answer=answer)

    [item] = token_client(student).get(f"/api/v1/threads/{question.pk}/answers/").json()["results"]

    assert item["id"] == answer.pk
    assert item["thread_id"] == question.pk
    assert item["author"]["username"] == "bob"
    assert item["body"] == answer.body
    assert item["body_html"] == answer.body_html
    assert item["vote_count"] == 1
    assert item["has_voted"] is True
    assert item["is_accepted"] is False
    assert item["web_url"] == "http://testserver" + answer.get_absolute_url()
    assert (item["can_edit"], item["can_withdraw"], item["can_vote"], item["can_accept"]) == (False, False, True, True)


def test_has_voted_is_about_the_member_asking(anonymous, other_student, third_student, question, answer):
    cast_vote(user=third_student, answer=answer)
    for client in (anonymous, token_client(other_student)):
        [item] = client.get(f"/api/v1/threads/{question.pk}/answers/").json()["results"]
        assert item["has_voted"] is False
        assert item["vote_count"] == 1


def test_posting_an_answer_counts_it_on_the_thread(other_student, question):
    response = token_client(other_student).post(f"/api/v1/threads/{question.pk}/answers/", ANSWER, format="json")

    assert response.status_code == 201
    answer = response.json()
    assert response["Location"] == answer["web_url"]
    assert "<em>alternance</em>" in answer["body_html"]
    assert answer["can_edit"] is True
    assert answer["has_voted"] is False
    question.refresh_from_db()
    assert question.answer_count == 1


def test_a_too_short_answer_is_refused_on_its_field(other_student, question):
    response = token_client(other_student).post(
        f"/api/v1/threads/{question.pk}/answers/", {"body": "ok"}, format="json"
    )
    assert set(error_of(response, 400)["fields"]) == {"body"}


def test_answering_a_thread_that_does_not_exist_is_a_404(other_student):
    error_of(token_client(other_student).post("/api/v1/threads/424242/answers/", ANSWER, format="json"), 404)


def test_answering_a_locked_thread_is_refused_with_the_reason(other_student, question):
    Question.objects.filter(pk=question.pk).update(is_locked=True)
    response = token_client(other_student).post(f"/api/v1/threads/{question.pk}/answers/", ANSWER, format="json")
    assert "locked" in error_of(response, 403)["message"].lower() or "verrouill" in response.json()["error"]["message"]


def test_the_author_edits_an_answer_and_its_history_is_kept(other_student, answer):
    client = token_client(other_student)
    new_body = "Mise à jour : le site de l'APEC publie aussi des offres en alternance."

    response = client.patch(f"/api/v1/answers/{answer.pk}/", {"body": new_body}, format="json")

    assert response.status_code == 200
    assert response.json()["body"] == new_body
    [revision] = client.get(f"/api/v1/answers/{answer.pk}/revisions/").json()["results"]
    assert revision["body"] == answer.body
    assert revision["editor"]["username"] == "bob"


def test_withdrawing_an_answer_removes_it_from_the_thread_but_keeps_the_row(anonymous, other_student, question, answer):
    assert token_client(other_student).delete(f"/api/v1/answers/{answer.pk}/").status_code == 204

    assert answer_ids(anonymous, question) == []
    assert error_of(anonymous.get(f"/api/v1/answers/{answer.pk}/"), 404)
    assert Answer.objects.get(pk=answer.pk).visibility == Visibility.WITHDRAWN
    question.refresh_from_db()
    assert question.answer_count == 0


def test_voting_is_idempotent_and_can_be_taken_back(student, answer):
    client = token_client(student)

    first = client.post(f"/api/v1/answers/{answer.pk}/vote/")
    second = client.post(f"/api/v1/answers/{answer.pk}/vote/")

    assert first.status_code == second.status_code == 200
    assert second.json()["vote_count"] == 1
    assert second.json()["has_voted"] is True
    assert Vote.objects.filter(answer=answer).count() == 1

    back = client.delete(f"/api/v1/answers/{answer.pk}/vote/")
    assert back.json()["vote_count"] == 0
    assert back.json()["has_voted"] is False
    assert client.delete(f"/api/v1/answers/{answer.pk}/vote/").json()["vote_count"] == 0


def test_nobody_votes_for_their_own_answer(other_student, answer):
    response = token_client(other_student).post(f"/api/v1/answers/{answer.pk}/vote/")
    assert error_of(response, 403)["code"] == "forbidden"


def test_the_asker_accepts_an_answer_and_the_thread_becomes_solved(anonymous, student, question, answer):
    client = token_client(student)

    accepted = client.post(f"/api/v1/answers/{answer.pk}/accept/")

    assert accepted.status_code == 200
    assert accepted.json()["is_accepted"] is True
    thread = anonymous.get(f"/api/v1/threads/{question.pk}/").json()
    assert (thread["status"], thread["accepted_answer_id"]) == ("solved", answer.pk)

    unaccepted = client.delete(f"/api/v1/answers/{answer.pk}/accept/")
    assert unaccepted.json()["is_accepted"] is False
    assert anonymous.get(f"/api/v1/threads/{question.pk}/").json()["status"] == "open"


def test_accepting_another_answer_replaces_the_first(anonymous, student, question, answer, third_student):
    other = make_answer(author=third_student, question=question)
    client = token_client(student)
    client.post(f"/api/v1/answers/{answer.pk}/accept/")
    client.post(f"/api/v1/answers/{other.pk}/accept/")

    answers = anonymous.get(f"/api/v1/threads/{question.pk}/answers/").json()["results"]
    assert [(a["id"], a["is_accepted"]) for a in answers] == [(other.pk, True), (answer.pk, False)]


def test_only_the_asker_accepts(other_student, third_student, answer):
    for someone in (other_student, third_student):
        error_of(token_client(someone).post(f"/api/v1/answers/{answer.pk}/accept/"), 403)


def test_reading_one_answer(anonymous, answer):
    body = anonymous.get(f"/api/v1/answers/{answer.pk}/").json()
    assert (body["id"], body["has_voted"], body["can_vote"]) == (answer.pk, False, False)
