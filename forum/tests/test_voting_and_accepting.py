import pytest

from forum.exceptions import NotAllowed
from forum.models import Question, Vote
from forum.queries import thread_answers
from forum.services.answers import accept_answer, unaccept_answer
from forum.services.votes import cast_vote, retract_vote, toggle_vote
from tests.factories import make_answer


def test_a_vote_counts_once_per_member(answer, student, third_student):
    cast_vote(user=student, answer=answer)
    cast_vote(user=student, answer=answer)
    cast_vote(user=third_student, answer=answer)
    answer.refresh_from_db()
    assert answer.vote_count == 2
    assert Vote.objects.filter(answer=answer).count() == 2


def test_toggling_adds_then_removes_the_vote(answer, student):
    _, voted = toggle_vote(user=student, answer=answer)
    assert voted
    answer, voted = toggle_vote(user=student, answer=answer)
    assert not voted
    assert answer.vote_count == 0


def test_retracting_a_vote_that_does_not_exist_changes_nothing(answer, student):
    retract_vote(user=student, answer=answer)
    answer.refresh_from_db()
    assert answer.vote_count == 0


def test_nobody_votes_for_their_own_answer(answer, other_student):
    with pytest.raises(NotAllowed):
        cast_vote(user=other_student, answer=answer)


def test_the_asker_accepts_an_answer_and_the_thread_is_solved(answer, student):
    question = accept_answer(user=student, answer=answer)
    assert question.status == Question.Status.SOLVED
    question = unaccept_answer(user=student, answer=answer)
    assert question.status == Question.Status.OPEN


def test_only_the_asker_accepts(answer, other_student, moderator):
    with pytest.raises(NotAllowed):
        accept_answer(user=other_student, answer=answer)
    with pytest.raises(NotAllowed):
        accept_answer(user=moderator, answer=answer)


def test_accepting_another_answer_replaces_the_first(question, student, other_student, third_student):
    first = make_answer(author=other_student, question=question)
    second = make_answer(author=third_student, question=question)
    accept_answer(user=student, answer=first)
    question = accept_answer(user=student, answer=second)
    assert question.accepted_answer_id == second.pk


def test_answers_are_ordered_accepted_first_then_votes_then_oldest(question, student, other_student, third_student):
    from conftest import make_user

    oldest = make_answer(author=other_student, question=question)
    popular = make_answer(author=third_student, question=question)
    accepted = make_answer(author=make_user(), question=question)
    cast_vote(user=student, answer=popular)
    accept_answer(user=student, answer=accepted)
    question.refresh_from_db()
    assert list(thread_answers(student, question)) == [accepted, popular, oldest]


def test_an_anonymous_visitor_cannot_toggle_a_vote(answer):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(NotAllowed):
        toggle_vote(user=AnonymousUser(), answer=answer)
