"""Tags through forum.models.tagging.DeferredTaggableManager: the same rows and
SQL as django-taggit's manager, and a prefetch that builds no filter per row."""

import pytest
from taggit.managers import _TaggableManager

from forum.models import Question
from tests.factories import make_question

pytestmark = pytest.mark.django_db


def stock_manager(question):
    field = Question._meta.get_field("tags")
    return _TaggableManager(through=field.through, model=Question, instance=question, prefetch_cache_name=field.name)


def test_a_question_reads_and_changes_its_tags_as_with_taggit(student):
    question = make_question(author=student, tags=("bts", "contrat", "salaire"))

    assert [tag.name for tag in question.tags.all()] == ["bts", "contrat", "salaire"]
    assert str(question.tags.all().query) == str(stock_manager(question).get_queryset().query)
    assert sorted(question.tags.names()) == ["bts", "contrat", "salaire"]
    assert [tag.name for tag in question.tags.filter(name__startswith="s")] == ["salaire"]
    question.tags.remove("contrat")
    question.tags.add("rythme")
    assert sorted(question.tags.names()) == ["bts", "rythme", "salaire"]
    assert question.tags.count() == 3


def test_prefetched_tags_take_one_query_and_match_each_question(student, django_assert_num_queries):
    expected = {
        make_question(author=student, tags=tags).pk: sorted(tags)
        for tags in (("bts",), ("contrat", "licence"), ("master", "salaire", "aides"))
    }

    with django_assert_num_queries(2):
        questions = list(Question.objects.filter(pk__in=expected).prefetch_related("tags"))
        found = {question.pk: sorted(tag.name for tag in question.tags.all()) for question in questions}

    assert found == expected
    # What the prefetch stored is complete: its deferred filter was never needed.
    assert all(question.tags.all()._deferred_filter is not None for question in questions)
