"""The sample of matches the search page counts its facets over: the newest
matches the ranking already read (no second search), or one query when facets
or filters narrow the results; and the counts over it, pinned against a set
computed by hand."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from forum import search
from forum.models import Question
from forum.services import moderation
from forum.thread_filters import ThreadFilters
from tests.factories import make_question

ANONYMOUS = AnonymousUser()


@pytest.fixture
def threads(student):
    """Five threads about a 'stage' with known facets, one hidden, and one
    thread that does not match."""
    made = {}
    facets = {
        "bzh_bts": {"region": "bretagne", "diploma": "bts"},
        "bzh_master": {"region": "bretagne", "diploma": "master", "contract": "apprentissage"},
        "corse_bts": {"region": "corse", "diploma": "bts", "contract": "apprentissage"},
        "none": {},
        "hidden_bzh": {"region": "bretagne", "diploma": "bts"},
    }
    for n, (name, values) in enumerate(facets.items()):
        question = make_question(
            author=student, title=f"Stage de fin d'année numéro {n} ?", body=f"Je cherche un stage (piste {n})."
        )
        Question.objects.filter(pk=question.pk).update(**values)
        made[name] = question
    made["other"] = make_question(author=student, title="Salaire en licence pro", body="Quelle grille de salaire ?")
    return made


@pytest.fixture
def hidden(threads, moderator):
    moderation.hide_post(moderator=moderator, post=threads["hidden_bzh"], clause="respect")
    return threads


def test_a_plain_search_brings_its_sample_newest_first_without_hidden_threads(hidden):
    page = search.search("stage", viewer=ANONYMOUS)
    expected = sorted(
        (hidden[name].pk for name in ("bzh_bts", "bzh_master", "corse_bts", "none")),
        reverse=True,
    )
    # SQLite's backend reads no sample while ranking: the page then takes it
    # in one query, and it is the same set.
    assert page.sample == (expected if connection.vendor == "postgresql" else None)
    assert search.newest_matches("stage", viewer=ANONYMOUS) == expected


def test_the_sample_is_bounded_and_follows_the_filters(hidden):
    assert search.newest_matches("stage", viewer=ANONYMOUS, limit=2) == sorted(
        (hidden["corse_bts"].pk, hidden["none"].pk), reverse=True
    )
    narrowed = search.newest_matches(
        "stage", viewer=ANONYMOUS, filters=search.SearchFilters(extra=[ThreadFilters(region="corse")])
    )
    assert narrowed == [hidden["corse_bts"].pk]
    assert search.newest_matches("   ", viewer=ANONYMOUS) == []


def test_moderators_sample_hidden_threads_too(hidden, moderator):
    assert hidden["hidden_bzh"].pk in search.newest_matches("stage", viewer=moderator)


def test_counts_among_the_sample_are_given_the_other_facets(hidden):
    ids = search.newest_matches("stage", viewer=ANONYMOUS)
    # By hand: bzh_bts (bretagne, bts), bzh_master (bretagne, master,
    # apprentissage), corse_bts (corse, bts, apprentissage), none; the hidden one is out.
    assert ThreadFilters().count_among(ids) == {
        ("region", "bretagne"): 2,
        ("region", "corse"): 1,
        ("diploma", "bts"): 2,
        ("diploma", "master"): 1,
        ("contract", "apprentissage"): 2,
    }
    # Bretagne chosen: regions are counted whatever the region, the other
    # facets among the Bretagne threads only.
    assert ThreadFilters(region="bretagne").count_among(ids) == {
        ("region", "bretagne"): 2,
        ("region", "corse"): 1,
        ("diploma", "bts"): 1,
        ("diploma", "master"): 1,
        ("contract", "apprentissage"): 1,
    }
    assert ThreadFilters(region="bretagne", diploma="bts").count_among(ids) == {
        ("region", "bretagne"): 1,
        ("region", "corse"): 1,
        ("diploma", "bts"): 1,
        ("diploma", "master"): 1,
    }
    assert ThreadFilters().count_among([]) == {}


def test_counts_among_ids_agree_with_the_grouped_counts_of_the_lists(hidden):
    ids = search.newest_matches("stage", viewer=ANONYMOUS)
    for filters in (
        ThreadFilters(),
        ThreadFilters(region="bretagne"),
        ThreadFilters(diploma="bts", contract="apprentissage"),
    ):
        assert filters.count_among(ids) == filters.count_values(Question.objects.filter(pk__in=ids))


def test_counting_the_sample_is_one_query(hidden):
    ids = search.newest_matches("stage", viewer=ANONYMOUS)
    with CaptureQueriesContext(connection) as captured:
        ThreadFilters(region="bretagne").count_among(ids)
    assert len(captured) == 1


def test_a_filtered_search_brings_its_sample_too(hidden, moderator):
    """With a tag or status chosen (or for a moderator) the ranking reads its
    pool on its own: the page counts its facets over it without searching again."""
    postgres = connection.vendor == "postgresql"
    filters = search.SearchFilters(status="unanswered")
    page = search.search("stage", viewer=ANONYMOUS, filters=filters)
    expected = search.newest_matches("stage", viewer=ANONYMOUS, filters=filters)
    assert len(expected) == 4
    assert page.sample == (expected if postgres else None)
    page = search.search("stage", viewer=moderator)
    expected = search.newest_matches("stage", viewer=moderator)
    assert hidden["hidden_bzh"].pk in expected
    assert page.sample == (expected if postgres else None)
