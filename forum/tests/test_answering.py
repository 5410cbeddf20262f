import pytest

from forum.exceptions import InvalidInput, NotAllowed
from forum.models import Answer, PostRevision, Question, Visibility
from forum.services.answers import accept_answer, edit_answer, post_answer, withdraw_answer
from tests.factories import make_answer

BODY = "Regarde les offres sur le site de France Travail et contacte directement les CFA."


def test_answering_counts_the_answer_and_refreshes_activity(question, other_student):
    before = question.last_activity_at
    post_answer(author=other_student, question=question, body=BODY)
    question.refresh_from_db()
    assert question.answer_count == 1
    assert question.last_activity_at > before


def test_an_empty_or_huge_answer_is_refused(question, other_student):
    with pytest.raises(InvalidInput) as caught:
        post_answer(author=other_student, question=question, body="   ")
    assert "body" in caught.value.fields
    with pytest.raises(InvalidInput):
        post_answer(author=other_student, question=question, body="x" * 50_000)
    assert not Answer.objects.exists()


def test_a_locked_thread_accepts_no_answer(question, other_student):
    Question.objects.filter(pk=question.pk).update(is_locked=True)
    question.refresh_from_db()
    with pytest.raises(NotAllowed, match="lock|verrouill"):
        post_answer(author=other_student, question=question, body=BODY)


def test_editing_an_answer_keeps_a_revision(answer, other_student):
    edit_answer(editor=other_student, answer=answer, body=BODY + " Bon courage !")
    answer.refresh_from_db()
    assert answer.body.endswith("Bon courage !")
    assert answer.edited_at is not None
    assert PostRevision.objects.get(answer=answer).body != answer.body


def test_someone_else_cannot_edit_an_answer(answer, third_student):
    with pytest.raises(NotAllowed):
        edit_answer(editor=third_student, answer=answer, body=BODY)


def test_withdrawing_keeps_the_row_and_updates_counts(answer, other_student, student):
    question = answer.question
    accept_answer(user=student, answer=answer)
    withdraw_answer(user=other_student, answer=answer)
    answer.refresh_from_db()
    question.refresh_from_db()
    assert answer.visibility == Visibility.WITHDRAWN
    assert Answer.objects.filter(pk=answer.pk).exists()
    assert question.answer_count == 0
    assert question.accepted_answer_id is None


def test_only_the_author_can_withdraw(answer, student):
    with pytest.raises(NotAllowed):
        withdraw_answer(user=student, answer=answer)


def test_a_withdrawn_answer_cannot_be_withdrawn_or_edited_again(answer, other_student):
    withdraw_answer(user=other_student, answer=answer)
    with pytest.raises(NotAllowed):
        withdraw_answer(user=other_student, answer=answer)
    with pytest.raises(NotAllowed):
        edit_answer(editor=other_student, answer=answer, body=BODY)


def test_answers_are_counted_per_thread(question, other_student, third_student):
    make_answer(author=other_student, question=question)
    make_answer(author=third_student, question=question)
    question.refresh_from_db()
    assert question.answer_count == 2
