"""Question rows from the shared fragment cache (frontend.page_cache.question_rows):
the same HTML as a fresh render, a relative time that keeps moving, a new row
when what it shows changes, and the asker of a discreet question masked for the
readers they hide from even when another reader's row is in the cache."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import timezone, translation

from forum.models import Question
from frontend.page_cache import question_rows
from frontend.templatetags.forum_ui import reltime
from tests.discreet_factories import ASKER_NAME, make_discreet_world
from tests.factories import make_answer, make_question
from tests.support.templates import templates_rendered


@pytest.fixture(autouse=True)
def empty_cache_in_french():
    # The labels checked below are French; another test may have left English active.
    cache.clear()
    with translation.override("fr"):
        yield


def request_for(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def listed(*questions):
    return list(Question.objects.filter(pk__in=[q.pk for q in questions]).prefetch_related("tags").order_by("pk"))


def rows(user, questions):
    return question_rows(request_for(user), questions, lambda q: reltime(q.last_activity_at))


def test_a_cached_row_is_the_fresh_render(student, other_student):
    question = make_question(author=student, tags=("bts", "rythme"))
    make_answer(author=other_student, question=question)
    (fresh,) = [
        render_to_string("frontend/partials/question_row.html", {"question": q}, request=request_for(other_student))
        for q in listed(question)
    ]

    first = rows(other_student, listed(question))
    second = []
    rendered = templates_rendered(lambda: second.extend(rows(other_student, listed(question))))

    assert first == second == [fresh]
    assert "frontend/partials/question_row.html" not in rendered  # the second came from the cache


def test_the_relative_time_is_written_per_response(student):
    question = make_question(author=student)
    now = timezone.now()
    Question.objects.filter(pk=question.pk).update(created_at=now - timedelta(days=30))
    (row,) = listed(question)
    row.last_activity_at = now - timedelta(minutes=5)
    (recent,) = rows(student, [row])
    row.last_activity_at = now - timedelta(hours=2)  # same cache entry: the row's state is unchanged

    (later,) = rows(student, [row])

    assert "5\xa0minutes" in recent
    assert "2\xa0heures" in later
    assert recent.replace(str(reltime(now - timedelta(minutes=5))), "") == later.replace(
        str(reltime(now - timedelta(hours=2))), ""
    )


def test_a_new_answer_count_is_a_new_row(student, other_student):
    question = make_question(author=student)
    (before,) = rows(student, listed(question))
    make_answer(author=other_student, question=question)

    (after,) = rows(student, listed(question))

    assert "data-answer-count>0<" in before
    assert "data-answer-count>1<" in after


def test_a_discreet_asker_stays_masked_for_the_readers_they_hide_from(db):
    world = make_discreet_world(answers=False)
    (seen,) = rows(world.member, listed(world.question))
    (masked,) = rows(world.hr_hidden, listed(world.question))
    (seen_again,) = rows(world.hr_other, listed(world.question))

    assert ASKER_NAME in seen
    assert ASKER_NAME not in masked
    assert "Un·e alternant·e" in masked
    assert seen_again == seen


def test_rows_of_questions_loaded_without_their_tags_are_the_fresh_render(student):
    # As the list pages load them: the tags for the keys come in one query,
    # and the rows not in the cache get their tags and badges loaded then.
    questions = [make_question(author=student, tags=tags) for tags in (("bts", "rythme"), ("licence",))]
    fresh = [
        render_to_string("frontend/partials/question_row.html", {"question": q}, request=request_for(student))
        for q in listed(*questions)
    ]
    bare = list(Question.objects.filter(pk__in=[q.pk for q in questions]).order_by("pk"))

    assert rows(student, bare) == fresh
    again = []
    rendered = templates_rendered(lambda: again.extend(rows(student, listed(*questions))))
    assert again == fresh
    assert rendered == []  # the same keys with or without the prefetch: both from the cache
