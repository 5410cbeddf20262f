"""Daily posting limits for new accounts, and duplicate detection. The limits
hold under concurrency: they are counted inside the writing transaction under
a row lock on the member, not in a cache."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone, translation

from forum.exceptions import DuplicatePost, RateLimited
from forum.models import Answer, Question, Visibility
from forum.services.answers import post_answer, withdraw_answer
from forum.services.questions import ask_question
from tests.factories import make_moderator, make_question, make_user
from tests.support.requirements import require_postgres


@pytest.fixture
def newcomer(db):
    return make_user(username="nouveau", date_joined=timezone.now())


def body(n: int) -> str:
    return f"Réponse numéro {n} : regarde les offres des CFA de ta région et relance-les par téléphone."


def ask(author, n: int) -> Question:
    return ask_question(
        author=author,
        title=f"Question d'alternance numéro {n} sur le rythme",
        body=f"Quel rythme d'alternance choisir pour un BTS, version {n} de ma question ?",
        tags=["rythme"],
    )


def test_a_new_account_asks_at_most_three_questions_a_day(newcomer):
    for n in range(3):
        ask(newcomer, n)
    with pytest.raises(RateLimited) as caught:
        ask(newcomer, 3)
    assert "3" in caught.value.message
    assert 23 * 3600 < caught.value.retry_after <= 24 * 3600
    assert Question.objects.filter(author=newcomer).count() == 3


def test_a_new_account_posts_at_most_ten_answers_a_day(newcomer, question):
    for n in range(10):
        post_answer(author=newcomer, question=question, body=body(n))
    with pytest.raises(RateLimited):
        post_answer(author=newcomer, question=question, body=body(10))
    assert Answer.objects.filter(author=newcomer).count() == 10


def test_held_and_withdrawn_posts_count_too(newcomer, question):
    answers = [post_answer(author=newcomer, question=question, body=body(n)) for n in range(10)]
    assert answers[0].visibility == Visibility.PENDING
    withdraw_answer(user=newcomer, answer=answers[0])
    with pytest.raises(RateLimited):
        post_answer(author=newcomer, question=question, body=body(10))


def test_the_retry_after_is_when_the_oldest_counted_post_leaves_the_window(newcomer):
    questions = [ask(newcomer, n) for n in range(3)]
    Question.objects.filter(pk=questions[0].pk).update(created_at=timezone.now() - timedelta(hours=23))
    with pytest.raises(RateLimited) as caught, translation.override("en"):
        ask(newcomer, 3)
    assert 3500 <= caught.value.retry_after <= 3600
    assert "1 h" in caught.value.message or "60 minutes" in caught.value.message


def test_the_window_rolls(newcomer):
    questions = [ask(newcomer, n) for n in range(3)]
    Question.objects.filter(pk=questions[0].pk).update(created_at=timezone.now() - timedelta(hours=25))
    ask(newcomer, 3)
    assert Question.objects.filter(author=newcomer).count() == 4


def test_established_members_are_not_limited_by_default(student):
    for n in range(5):
        ask(student, n)
    assert Question.objects.filter(author=student).count() == 5


def test_limits_are_configurable_for_established_members_too(student, settings):
    settings.FORUM = {**settings.FORUM, "QUESTIONS_PER_DAY": 2}
    ask(student, 0)
    ask(student, 1)
    with pytest.raises(RateLimited):
        ask(student, 2)


def test_moderators_are_not_limited(db, settings):
    moderator = make_moderator(date_joined=timezone.now())
    for n in range(5):
        ask(moderator, n)

    # Past a new account's daily limit, and none of them held for review.
    assert settings.FORUM["NEW_ACCOUNT_QUESTIONS_PER_DAY"] < 5
    asked = Question.objects.filter(author=moderator)
    assert asked.count() == 5
    assert set(asked.values_list("visibility", flat=True)) == {Visibility.PUBLISHED}


def test_the_same_text_twice_is_refused_as_a_duplicate(student, question):
    other = make_question(author=make_user())
    post_answer(author=student, question=question, body=body(1))
    with pytest.raises(DuplicatePost):
        # Same words, other spacing and case, other thread: still a copy.
        post_answer(author=student, question=other, body="  " + body(1).upper().replace(" ", "  "))
    assert Answer.objects.filter(author=student).count() == 1


def test_a_question_body_pasted_as_an_answer_is_a_duplicate(student, question):
    with pytest.raises(DuplicatePost):
        post_answer(author=student, question=question, body=question.body)


def test_two_members_may_post_the_same_text(student, other_student, question):
    post_answer(author=student, question=question, body=body(1))
    post_answer(author=other_student, question=question, body=body(1))

    same_text = Answer.objects.filter(question=question, body=body(1))
    assert sorted(same_text.values_list("author__username", flat=True)) == ["alice", "bob"]


def test_a_withdrawn_post_may_be_posted_again(student, question):
    answer = post_answer(author=student, question=question, body=body(1))
    withdraw_answer(user=student, answer=answer)
    again = post_answer(author=student, question=question, body=body(1))

    answer.refresh_from_db()
    assert answer.visibility == Visibility.WITHDRAWN
    assert again.pk != answer.pk
    assert again.body == body(1)


def test_an_old_post_may_be_posted_again(student, question):
    answer = post_answer(author=student, question=question, body=body(1))
    Answer.objects.filter(pk=answer.pk).update(created_at=timezone.now() - timedelta(hours=25))
    again = post_answer(author=student, question=question, body=body(1))

    assert again.pk != answer.pk
    assert Answer.objects.filter(question=question, author=student, body=body(1)).count() == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_parallel_answers_cannot_pass_a_limit_of_ten():
    require_postgres()
    newcomer = make_user(username="pressé", date_joined=timezone.now())
    question = make_question(author=make_user())
    barrier = threading.Barrier(20)
    outcomes: list[str] = []
    lock = threading.Lock()

    def post(n: int) -> None:
        try:
            barrier.wait()
            post_answer(author=newcomer, question=question, body=body(n))
            result = "ok"
        except RateLimited:
            result = "limited"
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=post, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("ok") == 10
    assert outcomes.count("limited") == 10
    assert Answer.objects.filter(author=newcomer).count() == 10
    assert connection.vendor == "postgresql"
