import base64
import json
from datetime import timedelta

import pytest
from django.utils import timezone

from api.tests.conftest import error_of
from forum.models import Answer, Question
from tests.factories import make_answer, make_question, make_user

pytestmark = pytest.mark.usefixtures("fast_password_hashing")


def walk(client, url: str, direction: str = "next") -> list[list[int]]:
    pages = []
    while url:
        body = client.get(url).json()
        pages.append([item["id"] for item in body["results"]])
        url = body[direction]
    return pages


@pytest.fixture
def threads(student):
    """Seven threads, several sharing the same activity time and answer count:
    ties that a first-field cursor would mishandle."""
    same_time = timezone.now() - timedelta(hours=1)
    created = [make_question(author=student) for _ in range(7)]
    Question.objects.filter(pk__in=[q.pk for q in created[:4]]).update(last_activity_at=same_time)
    return created


@pytest.mark.parametrize("ordering", ["activity", "newest", "votes"])
def test_following_next_links_visits_every_thread_once_in_order(anonymous, threads, ordering):
    everything = [item["id"] for item in anonymous.get(f"/api/v1/threads/?ordering={ordering}").json()["results"]]

    pages = walk(anonymous, f"/api/v1/threads/?ordering={ordering}&page_size=3")

    assert [len(page) for page in pages] == [3, 3, 1]
    assert sum(pages, []) == everything
    assert sorted(everything) == sorted(q.pk for q in threads)


def test_previous_links_walk_back_to_the_first_page(anonymous, threads):
    first = anonymous.get("/api/v1/threads/?page_size=3").json()
    assert first["previous"] is None
    second = anonymous.get(first["next"]).json()
    third = anonymous.get(second["next"]).json()
    assert third["next"] is None

    back_to_second = anonymous.get(third["previous"]).json()
    back_to_first = anonymous.get(back_to_second["previous"]).json()

    assert [a["id"] for a in back_to_second["results"]] == [a["id"] for a in second["results"]]
    assert [a["id"] for a in back_to_first["results"]] == [a["id"] for a in first["results"]]
    assert back_to_first["previous"] is None


def test_links_keep_the_filters(anonymous, student):
    for _ in range(3):
        make_question(author=student, tags=("rythme",))
    make_question(author=student, tags=("salaire",))

    pages = walk(anonymous, "/api/v1/threads/?tag=rythme&page_size=2")

    assert [len(page) for page in pages] == [2, 1]


def test_a_new_thread_does_not_shift_the_next_page(anonymous, threads, student):
    first = anonymous.get("/api/v1/threads/?ordering=newest&page_size=3").json()
    make_question(author=student)
    second = anonymous.get(first["next"]).json()
    assert [t["id"] for t in second["results"]] == [q.pk for q in reversed(threads)][3:6]


def test_answers_paginate_on_accepted_then_votes_then_age(anonymous, student, question):
    helpers = [make_user() for _ in range(5)]
    answers = [make_answer(author=helper, question=question) for helper in helpers]
    Answer.objects.filter(pk__in=[a.pk for a in answers[:3]]).update(vote_count=2)
    everything = [a["id"] for a in anonymous.get(f"/api/v1/threads/{question.pk}/answers/").json()["results"]]

    pages = walk(anonymous, f"/api/v1/threads/{question.pk}/answers/?page_size=2")

    assert sum(pages, []) == everything
    assert len(everything) == 5


def test_tags_paginate_on_their_counts(anonymous, student):
    for tags in [("a1", "b1"), ("a1", "c1"), ("d1",), ("e1",)]:
        make_question(author=student, tags=tags)

    pages = walk(anonymous, "/api/v1/tags/?page_size=2")

    assert len(sum(pages, [])) == 5


@pytest.mark.parametrize(
    "cursor",
    [
        "not-base64!",
        base64.urlsafe_b64encode(b"[1,2]").decode(),
        base64.urlsafe_b64encode(json.dumps({"p": ["yesterday", 3]}).encode()).decode(),
        base64.urlsafe_b64encode(json.dumps({"p": ["2026-01-01T00:00:00+00:00", 10**30]}).encode()).decode(),
        base64.urlsafe_b64encode(json.dumps({"p": ["9999-12-31T23:59:59-14:00", 1]}).encode()).decode(),
        base64.urlsafe_b64encode(json.dumps({"p": [None, 1]}).encode()).decode(),
    ],
)
def test_a_forged_cursor_is_a_400_not_a_crash(anonymous, threads, cursor):
    assert set(error_of(anonymous.get(f"/api/v1/threads/?cursor={cursor}"), 400)["fields"]) == {"cursor"}
