"""bench/seed.py at a tiny scale: the bulk COPY writes every denormalised value
the services would have (the benchmark measures pages whose counts come from
them), and leaves the sequences past the seeded ids so the app can write."""

import pytest
from django.db.models import Count, F, Max, Q
from django.db.models.functions import Greatest

from bench.seed import REFERENCE_ANSWERS, Scale, reference_thread, seed
from forum.models import Answer, Badge, Flag, Question, User, Visibility, Vote
from forum.services.answers import post_answer
from tests.support.requirements import require_postgres

pytestmark = pytest.mark.django_db(transaction=True)

SCALE = Scale(questions=60, answers_per=6, members=80, tags=40, badges=8, organisations=5)


@pytest.fixture
def seeded():
    require_postgres()
    return seed(SCALE, log=lambda *_: None)


def test_it_seeds_the_requested_scale(seeded):
    assert Question.objects.count() == 60
    assert Answer.objects.count() == 360
    assert User.objects.count() == 80
    assert Badge.objects.active().count() == 8
    assert seeded.counts["votes"] == Vote.objects.count() > 0
    assert Flag.objects.exists()


def test_answer_counts_and_last_activity_match_the_published_answers(seeded):
    questions = Question.objects.annotate(
        published=Count("answers", filter=Q(answers__visibility=Visibility.PUBLISHED)),
        latest=Max("answers__created_at", filter=Q(answers__visibility=Visibility.PUBLISHED)),
    ).annotate(expected_activity=Greatest("created_at", "latest"))
    for question in questions:
        assert question.answer_count == question.published, question.pk
        expected = question.expected_activity or question.created_at
        assert question.last_activity_at == expected, question.pk


def test_vote_counts_match_the_votes(seeded):
    mismatched = Answer.objects.annotate(votes_cast=Count("votes")).exclude(vote_count=F("votes_cast"))
    assert not mismatched.exists()


def test_accepted_answers_are_published_answers_of_their_question(seeded):
    solved = Question.objects.filter(accepted_answer__isnull=False).select_related("accepted_answer")
    assert solved.exists()
    for question in solved:
        assert question.accepted_answer.question_id == question.pk
        assert question.accepted_answer.visibility == Visibility.PUBLISHED


def test_exactly_one_thread_has_the_reference_answer_count(seeded):
    thread = reference_thread()
    assert thread.pk == seeded.reference_question_id
    assert thread.answers.filter(visibility=Visibility.PUBLISHED).count() == REFERENCE_ANSWERS
    assert Question.objects.filter(answer_count__gte=REFERENCE_ANSWERS).count() == 1


def test_the_app_writes_after_the_seed(seeded):
    # The sequences were moved past the seeded ids: a real service call gets
    # a fresh id and keeps the counters right.
    question = Question.objects.filter(is_locked=False, visibility=Visibility.PUBLISHED).first()
    author = User.objects.get(username="bench-student")
    before = question.answer_count
    answer = post_answer(author=author, question=question, body="Une réponse écrite après le seed, assez longue.")
    assert answer.pk > Answer.objects.exclude(pk=answer.pk).aggregate(Max("pk"))["pk__max"]
    question.refresh_from_db()
    if answer.visibility == Visibility.PUBLISHED:
        assert question.answer_count == before + 1
