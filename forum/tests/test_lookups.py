"""`field__among=ids` (forum/lookups.py): the rows of `field__in=ids`, on
PostgreSQL (an array) and SQLite (JSON), whatever the number of ids."""

import pytest

from forum.models import Answer, Question
from tests.factories import make_answer, make_question

pytestmark = pytest.mark.django_db


def test_among_finds_what_in_finds(student, other_student):
    questions = [make_question(author=student) for _ in range(4)]
    answers = [make_answer(author=other_student, question=q) for q in questions[:2]]
    for ids in ([q.pk for q in questions], [questions[1].pk, -7], [], [q.pk for q in questions] * 150):
        assert sorted(Question.objects.filter(pk__among=ids).values_list("pk", flat=True)) == sorted(
            Question.objects.filter(pk__in=ids).values_list("pk", flat=True)
        )
    # A foreign key's column too.
    assert list(Answer.objects.filter(question_id__among=[questions[0].pk]).values_list("pk", flat=True)) == [
        answers[0].pk
    ]
