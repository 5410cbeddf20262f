"""Every detail endpoint runs a fixed number of queries, whatever the thread
holds (3 or 30 answers, addressees, tags) and whoever reads it.

The REST thread detail is the mobile app's most frequent read (issue 16:
at most 6 queries per request). Like test_list_query_counts.py, changing a
budget is a decision, and the data is built so that a per-row read shows up
as a difference between the small and the big thread.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from api.tests.conftest import token_client
from api.tests.test_list_query_counts import badged_member
from forum.models import Organisation
from forum.services.organisations import address_question
from forum.services.votes import cast_vote
from tests.factories import make_answer, make_question

pytestmark = pytest.mark.usefixtures("fast_password_hashing")

BUDGETS = {
    # Anonymous readers share one body per thread version (api/conditional.py):
    # the version, and the view count check once the body is cached.
    "thread, anonymous": 2,
    # Members whose lists are anyone's share one body per version too (the
    # token brings their list traits): the token, the version, the question
    # for its visibility and view count. A member who cannot share (below, a
    # badge) reads what a first view reads but the view count.
    "thread, member": 3,
    # A first view renders: the version, the question, badges, tags,
    # addressees, + the view count, once per reader and hour.
    "thread, first view, anonymous": 6,
    "thread, first view, member": 6,
    "answer, anonymous": 2,  # the answer with its thread and authors, the author's badges
    "answer, member": 4,  # + the token, "did I vote?"
    "member profile": 4,  # the member, their question and answer counts, badges
}


def thread_of(size: int, *, reader):
    author = badged_member(moderator=True)
    question = make_question(author=author, tags=[f"tag-{size}-{i}" for i in range(3)])
    for index in range(3):
        organisation = Organisation.objects.create(name=f"Org {size}-{index}", slug=f"org-{size}-{index}")
        address_question(question=question, organisations=[organisation])
    answers = [make_answer(author=badged_member(moderator=i % 2 == 0), question=question) for i in range(size)]
    for answer in answers[::2]:
        cast_vote(user=reader, answer=answer)
    return question, answers[0], author


def queries_for(client, url: str) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(captured), [query["sql"] for query in captured]


def test_every_detail_costs_the_same_queries_for_a_small_or_a_big_thread(student, anonymous):
    member = token_client(student)
    measured = {}
    shown = {}
    for size in (3, 30):
        question, answer, author = thread_of(size, reader=student)
        # A reader's first view of the thread this hour is counted. (The
        # member's token was used once already: its "last used" is written at
        # most every few minutes, not per request.)
        newcomer = token_client(badged_member())
        newcomer.get("/api/v1/tags/")
        for name, client in (
            ("thread, first view, anonymous", APIClient(REMOTE_ADDR=f"10.0.0.{size}")),
            ("thread, first view, member", newcomer),
        ):
            count, sql = queries_for(client, f"/api/v1/threads/{question.pk}/")
            measured.setdefault(name, []).append(count)
            shown[name] = sql
        for name, url, client in (
            ("thread, anonymous", f"/api/v1/threads/{question.pk}/", anonymous),
            ("thread, member", f"/api/v1/threads/{question.pk}/", member),
            ("answer, anonymous", f"/api/v1/answers/{answer.pk}/", anonymous),
            ("answer, member", f"/api/v1/answers/{answer.pk}/", member),
            ("member profile", f"/api/v1/users/{author.username}/", anonymous),
        ):
            client.get(url)  # warm up what is cached per process (content types, the token's last use)
            count, sql = queries_for(client, url)
            measured.setdefault(name, []).append(count)
            shown[name] = sql

    assert measured == {name: [budget, budget] for name, budget in BUDGETS.items()}
