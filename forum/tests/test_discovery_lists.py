"""The discovery lists: unanswered oldest first, popular this week, solved by
a verified HR or school staff member."""

from datetime import timedelta

import pytest
from django.utils import timezone

from forum import queries
from forum.models import Answer, Question, Vote
from forum.services.answers import accept_answer
from forum.services.votes import cast_vote
from tests.badge_factories import grant_badge, make_organisation
from tests.factories import make_answer, make_question, make_user


@pytest.fixture
def hr(moderator):
    bank = make_organisation(moderator=moderator, name="Banque Exemple", domains=["banque-exemple.fr"])
    claire = make_user(username="claire")
    grant_badge(user=claire, organisation=bank, moderator=moderator, role="hr")
    return claire


def asked_days_ago(question: Question, days: float) -> Question:
    Question.objects.filter(pk=question.pk).update(created_at=timezone.now() - timedelta(days=days))
    return question


def test_unanswered_oldest_first_waits_longest_first(student, other_student):
    recent = asked_days_ago(make_question(author=student), 1)
    oldest = asked_days_ago(make_question(author=student), 30)
    middle = asked_days_ago(make_question(author=student), 5)
    answered = asked_days_ago(make_question(author=student), 40)
    make_answer(author=other_student, question=answered)

    listed = list(queries.question_list(None, status="unanswered", ordering="oldest"))

    assert listed == [oldest, middle, recent]


def test_popular_this_week_ranks_by_recent_answers_and_votes(student, other_student, third_student):
    quiet = make_question(author=student)
    voted = make_question(author=student)
    answered_twice = make_question(author=student)
    last_month = make_question(author=student)

    answer = make_answer(author=other_student, question=voted)
    for _ in range(4):
        cast_vote(user=make_user(), answer=answer)  # 3 + 4 = 7 points
    make_answer(author=other_student, question=answered_twice)
    make_answer(author=third_student, question=answered_twice)  # 6 points
    stale = make_answer(author=other_student, question=last_month)
    cast_vote(user=make_user(), answer=stale)
    month_ago = timezone.now() - timedelta(days=30)
    Answer.objects.filter(pk=stale.pk).update(created_at=month_ago)
    Vote.objects.filter(answer=stale).update(created_at=month_ago)

    listed = list(queries.question_list(None, ordering="hot"))

    assert listed == [voted, answered_twice]
    assert [q.hot_score for q in listed] == [7, 6]
    assert quiet not in listed


def test_popular_this_week_ignores_activity_on_hidden_answers(student, other_student, moderator):
    from forum.services.moderation import hide_post

    question = make_question(author=student)
    answer = make_answer(author=other_student, question=question)
    hide_post(moderator=moderator, post=answer, clause="respect", note="Insulte.")

    assert list(queries.question_list(None, ordering="hot")) == []


def test_solved_by_verified_needs_the_accepted_answer_to_be_by_staff(student, other_student, hr):
    by_hr = make_question(author=student)
    accept_answer(user=student, answer=make_answer(author=hr, question=by_hr))
    hr_answered_but_student_accepted = make_question(author=student)
    make_answer(author=hr, question=hr_answered_but_student_accepted)
    accept_answer(user=student, answer=make_answer(author=other_student, question=hr_answered_but_student_accepted))
    make_answer(author=hr, question=make_question(author=student))  # answered by HR, not solved

    assert list(queries.question_list(None, status="solved_by_verified")) == [by_hr]
    # The wider "verified" list keeps every thread an HR answered.
    assert len(queries.question_list(None, status="verified")) == 3
