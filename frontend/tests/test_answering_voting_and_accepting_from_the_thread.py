"""The buttons and forms of the thread page, as plain POSTs (no JavaScript):
each reaches its service, and refusals come back as messages or errors."""

import pytest

from forum.models import Answer, PostRevision, Question, Visibility, Vote
from tests.factories import make_answer, make_question

pytestmark = pytest.mark.django_db

ANSWER = "Regarde ton calendrier de formation : il est annexé au contrat et signé par le CFA."


def test_a_member_answers_and_lands_on_the_new_answer(client, question, other_student):
    client.force_login(other_student)

    response = client.post(f"/questions/{question.pk}/repondre/", {"body": ANSWER})

    answer = Answer.objects.get()
    assert response.status_code == 303
    assert response["Location"] == answer.get_absolute_url()
    assert answer.author == other_student
    assert answer.body == ANSWER
    question.refresh_from_db()
    assert question.answer_count == 1


def test_an_empty_answer_shows_the_thread_again_with_the_reason(client, question, other_student):
    client.force_login(other_student)

    response = client.post(f"/questions/{question.pk}/repondre/", {"body": "  "})

    assert response.status_code == 400
    html = response.content.decode()
    assert "The text is required." in html
    assert question.title in html  # the whole thread, not a bare error page
    assert Answer.objects.count() == 0


def test_a_too_long_answer_keeps_what_was_typed(client, question, other_student):
    client.force_login(other_student)
    body = "Une expérience détaillée. " * 1000

    response = client.post(f"/questions/{question.pk}/repondre/", {"body": body})

    assert response.status_code == 400
    assert "The text is too long" in response.content.decode()
    assert "Une expérience détaillée. Une expérience détaillée." in response.content.decode()


def test_answering_logged_out_leads_to_the_login_page(client, question):
    response = client.post(f"/questions/{question.pk}/repondre/", {"body": ANSWER})

    assert response.status_code == 302
    assert response["Location"].startswith("/comptes/login/")
    assert Answer.objects.count() == 0


def test_answering_an_unknown_question_is_a_404(client, other_student):
    client.force_login(other_student)

    assert client.post("/questions/424242/repondre/", {"body": ANSWER}).status_code == 404


def test_a_locked_thread_refuses_answers_with_its_reason(client, question, other_student):
    Question.objects.filter(pk=question.pk).update(is_locked=True)
    client.force_login(other_student)

    thread = client.get(question.get_absolute_url()).content.decode()
    response = client.post(f"/questions/{question.pk}/repondre/", {"body": ANSWER})

    assert "This thread is locked by the moderators" in thread
    assert f'action="/questions/{question.pk}/repondre/"' not in thread
    assert response.status_code == 400
    assert "This thread is locked: it no longer accepts answers." in response.content.decode()
    assert Answer.objects.count() == 0


def test_the_vote_button_toggles_a_helpful_vote(client, answer, student):
    client.force_login(student)

    first = client.post(f"/reponses/{answer.pk}/vote/")
    answer.refresh_from_db()
    assert first.status_code == 303
    assert answer.vote_count == 1
    assert Vote.objects.filter(user=student, answer=answer).exists()
    assert 'aria-pressed="true"' in client.get(first["Location"]).content.decode()

    client.post(f"/reponses/{answer.pk}/vote/")
    answer.refresh_from_db()
    assert answer.vote_count == 0
    assert not Vote.objects.exists()


def test_voting_for_your_own_answer_is_refused_with_a_message(client, answer, other_student):
    client.force_login(other_student)

    response = client.post(f"/reponses/{answer.pk}/vote/", follow=True)

    assert "You cannot vote for your own answer." in response.content.decode()
    answer.refresh_from_db()
    assert answer.vote_count == 0


def test_voting_logged_out_leads_to_the_login_page_and_back(client, answer):
    response = client.post(f"/reponses/{answer.pk}/vote/")

    assert response.status_code == 302
    assert response["Location"].startswith("/comptes/login/?next=")
    assert not Vote.objects.exists()


def test_an_action_url_opened_by_a_link_changes_nothing(client, answer, student):
    client.force_login(student)

    for action in ("vote", "accepter", "ne-plus-accepter"):
        response = client.get(f"/reponses/{answer.pk}/{action}/")
        assert response.status_code == 303
    assert not Vote.objects.exists()
    answer.question.refresh_from_db()
    assert answer.question.accepted_answer is None


def test_the_asker_accepts_an_answer_and_the_thread_is_solved(client, question, answer, student):
    client.force_login(student)

    response = client.post(f"/reponses/{answer.pk}/accepter/", follow=True)

    question.refresh_from_db()
    assert question.accepted_answer == answer
    html = response.content.decode()
    assert "Answer accepted: your question is marked as solved." in html
    assert f'action="/reponses/{answer.pk}/ne-plus-accepter/"' in html
    home = client.get("/").content.decode()
    assert 'data-status="solved"' in home


def test_the_asker_can_take_the_acceptance_back(client, question, answer, student):
    client.force_login(student)
    client.post(f"/reponses/{answer.pk}/accepter/")

    client.post(f"/reponses/{answer.pk}/ne-plus-accepter/")

    question.refresh_from_db()
    assert question.accepted_answer is None


def test_someone_else_cannot_accept_an_answer(client, question, answer, third_student):
    client.force_login(third_student)

    response = client.post(f"/reponses/{answer.pk}/accepter/", follow=True)

    assert "Only the person who asked the question can accept an answer." in response.content.decode()
    question.refresh_from_db()
    assert question.accepted_answer is None


def test_the_author_edits_an_answer_and_the_previous_text_is_kept(client, answer, other_student):
    client.force_login(other_student)
    previous = answer.body

    assert client.get(f"/reponses/{answer.pk}/modifier/").status_code == 200
    response = client.post(f"/reponses/{answer.pk}/modifier/", {"body": ANSWER})

    assert response.status_code == 303
    answer.refresh_from_db()
    assert answer.body == ANSWER
    assert answer.edited_at is not None
    assert PostRevision.objects.get(answer=answer).body == previous
    assert f'href="/reponses/{answer.pk}/historique/"' in client.get(response["Location"]).content.decode()


def test_an_invalid_answer_edit_is_explained_and_changes_nothing(client, answer, other_student):
    client.force_login(other_student)
    previous = answer.body

    response = client.post(f"/reponses/{answer.pk}/modifier/", {"body": "court"})

    assert response.status_code == 400
    assert "The text is too short" in response.content.decode()
    answer.refresh_from_db()
    assert answer.body == previous


def test_someone_else_cannot_edit_an_answer(client, answer, student):
    client.force_login(student)
    previous = answer.body

    assert client.get(f"/reponses/{answer.pk}/modifier/").status_code == 403
    assert client.post(f"/reponses/{answer.pk}/modifier/", {"body": ANSWER}).status_code == 403
    answer.refresh_from_db()
    assert answer.body == previous


def test_the_author_withdraws_an_answer_after_confirming(client, question, answer, other_student):
    client.force_login(other_student)

    confirmation = client.get(f"/reponses/{answer.pk}/retirer/")
    assert confirmation.status_code == 200
    assert "Withdraw my answer?" in confirmation.content.decode()
    answer.refresh_from_db()
    assert answer.visibility == Visibility.PUBLISHED  # asking is not doing

    response = client.post(f"/reponses/{answer.pk}/retirer/")

    assert response.status_code == 303
    answer.refresh_from_db()
    assert answer.visibility == Visibility.WITHDRAWN  # kept in the database
    thread = client.get(question.get_absolute_url()).content.decode()
    assert f'id="answer-{answer.pk}"' not in thread


def test_someone_else_cannot_withdraw_an_answer(client, answer, student):
    client.force_login(student)

    assert client.get(f"/reponses/{answer.pk}/retirer/").status_code == 403
    assert client.post(f"/reponses/{answer.pk}/retirer/").status_code == 403
    answer.refresh_from_db()
    assert answer.visibility == Visibility.PUBLISHED


@pytest.mark.parametrize("action", ["vote", "accepter", "ne-plus-accepter", "modifier", "retirer", "historique"])
def test_actions_on_an_unknown_answer_are_a_404(client, student, action):
    client.force_login(student)

    assert client.post(f"/reponses/987654/{action}/").status_code == 404


def test_a_withdrawn_answer_can_no_longer_be_edited(client, question, other_student):
    answer = make_answer(author=other_student, question=question)
    client.force_login(other_student)
    client.post(f"/reponses/{answer.pk}/retirer/")

    response = client.post(f"/reponses/{answer.pk}/modifier/", {"body": ANSWER})

    assert response.status_code in (403, 404)
    answer.refresh_from_db()
    assert answer.body != ANSWER


def test_a_member_who_did_not_ask_is_not_offered_to_accept(client, student, other_student, third_student):
    question = make_question(author=student)
    answer = make_answer(author=other_student, question=question)
    client.force_login(third_student)

    html = client.get(question.get_absolute_url()).content.decode()

    assert f'action="/reponses/{answer.pk}/accepter/"' not in html
