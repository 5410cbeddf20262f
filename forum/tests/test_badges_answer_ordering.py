"""Answers by verified HR and school staff rank right after the accepted one;
lists can keep only questions they answered; badges cost no query per row."""

import pytest

from forum import queries
from forum.presenters import author_data, badges_for
from forum.services import verification as verification_services
from forum.services.answers import accept_answer
from forum.services.votes import cast_vote
from tests.badge_factories import grant_badge, make_organisation
from tests.factories import make_answer, make_question, make_user


@pytest.fixture
def bank(moderator):
    return make_organisation(moderator=moderator, name="Banque Exemple", domains=["banque-exemple.fr"])


@pytest.fixture
def hr(bank, moderator):
    claire = make_user(username="claire", display_name="Claire")
    grant_badge(user=claire, organisation=bank, moderator=moderator, role="hr")
    return claire


def vote(answer, count):
    for _ in range(count):
        cast_vote(user=make_user(), answer=answer)


def test_a_verified_hr_answer_ranks_above_community_answers_with_more_votes(question, other_student, hr):
    popular = make_answer(author=other_student, question=question)
    vote(popular, 3)
    verified = make_answer(author=hr, question=question)

    assert list(queries.thread_answers(None, question)) == [verified, popular]


def test_the_accepted_answer_still_comes_first(question, student, other_student, hr):
    community = make_answer(author=other_student, question=question)
    verified = make_answer(author=hr, question=question)
    accept_answer(user=student, answer=community)
    question.refresh_from_db()

    assert list(queries.thread_answers(None, question)) == [community, verified]


def test_ambassadors_do_not_outrank_votes(question, other_student, bank, moderator):
    ambassador = make_user(username="amb")
    grant_badge(user=ambassador, organisation=bank, moderator=moderator, role="ambassador")
    popular = make_answer(author=other_student, question=question)
    vote(popular, 1)
    by_ambassador = make_answer(author=ambassador, question=question)

    assert list(queries.thread_answers(None, question)) == [popular, by_ambassador]


def test_a_revoked_badge_no_longer_ranks(question, other_student, hr, moderator):
    popular = make_answer(author=other_student, question=question)
    vote(popular, 1)
    verified = make_answer(author=hr, question=question)
    badge = hr.badges.get()
    verification_services.revoke_badge(moderator=moderator, badge=badge, reason="A quitté la banque.")

    assert list(queries.thread_answers(None, question)) == [popular, verified]


def test_the_verified_filter_keeps_questions_answered_by_verified_staff(student, other_student, hr):
    answered_by_hr = make_question(author=student)
    make_answer(author=hr, question=answered_by_hr)
    answered_by_peer = make_question(author=student)
    make_answer(author=other_student, question=answered_by_peer)
    make_question(author=student)

    assert list(queries.question_list(None, verified=True)) == [answered_by_hr]
    assert len(queries.question_list(None)) == 3


def _authors_with_badges(count, bank, moderator):
    authors = []
    for _ in range(count):
        author = make_user()
        grant_badge(user=author, organisation=bank, moderator=moderator)
        authors.append(author)
    return authors


def test_question_lists_with_badges_run_a_constant_number_of_queries(
    django_assert_num_queries, bank, moderator, student
):
    def page_queries():
        questions = list(queries.question_list(None))
        return [author_data(q.author) for q in questions]

    author = _authors_with_badges(1, bank, moderator)[0]
    make_question(author=author)
    with django_assert_num_queries(4) as small:  # questions, tags, badges, moderator groups
        page_queries()

    for author in _authors_with_badges(4, bank, moderator):
        make_question(author=author)
    make_question(author=moderator)
    with django_assert_num_queries(len(small.captured_queries)):
        data = page_queries()

    assert [b["role"] for b in data[0]["badges"]] == ["moderator"]
    assert all(d["badges"][0]["organization"]["slug"] == "banque-exemple" for d in data[1:])


def test_thread_answers_with_badges_run_a_constant_number_of_queries(
    django_assert_num_queries, question, bank, moderator
):
    def thread_queries():
        return [author_data(a.author) for a in queries.thread_answers(None, question)]

    authors = _authors_with_badges(5, bank, moderator)
    make_answer(author=authors[0], question=question)
    with django_assert_num_queries(3):  # answers, badges, moderator groups
        thread_queries()
    for author in authors[1:]:
        make_answer(author=author, question=question)
    with django_assert_num_queries(3):
        data = thread_queries()
    assert len(data) == 5
    assert all(d["badges"] for d in data)


def test_a_lone_author_costs_two_small_queries(django_assert_num_queries, hr):
    with django_assert_num_queries(2):
        assert badges_for(hr)[0]["role"] == "hr"
