"""The most read pages run a fixed, small number of queries, anonymous and
signed in (issue 16). Changing a budget is a decision: each query is paid on
every page view.

The other query tests of these pages prove "the same for 3 or 30 rows";
this one pins the number itself.
"""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from forum.services.flags import flag_post
from forum.services.votes import cast_vote
from tests.factories import make_answer, make_question, make_user

BUDGETS = {
    # cursor, questions, the tags of their rows' keys, pinned, tag cloud, the
    # four facet counts (one UNION ALL); the rows come from the shared cache
    # (the first render of a row also loads its tags, its author's badges and
    # moderator groups: test_a_cold_list_loads_what_its_rows_render)
    "home, anonymous": 6,
    # + the session with its member (with "moderator?", the other list traits:
    # what the list may show depends on them, and the header's unread
    # notifications: config/session_store.py, forum/auth_backends.py)
    "home, member": 7,
    # cursor, tag (with "does this reader see one of its questions?"),
    # questions, the tags of the rows' keys, facet counts, the tag's
    # description, its question count, its followers (and "do I follow it?")
    "tag, anonymous": 8,
    "tag, member": 9,  # + the session with its member (with "moderator?" and the unread notifications)
    # cursor, question (with "is the author a moderator?"), answers, everyone's
    # badges, moderator groups, tags, addressees, related questions (their
    # rows: the search behind them is cached per title)
    "thread, anonymous": 8,
    # + the session with its member (with the unread notifications: counted again only
    # when reading the thread marked some read); "moderator?" comes with the
    # question, votes and reports in one query; "do I follow it?", and reading
    # the thread marks its notifications read; the charter hints of the
    # answer form (forum.charter.hints_for: post counts, last hide, dismissal
    # and "verified staff?" in one query, issue 17)
    "thread, member": 13,
}


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.fixture
def forum(student, other_student):
    question = make_question(author=student, tags=("bts", "rythme"))
    for index in range(5):
        answer = make_answer(author=make_user(), question=question)
        cast_vote(user=other_student, answer=answer)
        make_question(author=make_user(), tags=("bts", f"tag-{index}"))
    flag_post(user=other_student, post=answer, reason="spam")
    return question


@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "member"])
def test_the_most_read_pages_keep_their_query_budgets(client, forum, other_student, signed_in, settings):
    # What a render costs: anonymous readers are mostly served from the page
    # cache (1 query, frontend/tests/test_page_cache.py), but every version
    # is rendered once, and members always are.
    settings.PAGE_CACHE_ENABLED = False
    if signed_in:
        client.force_login(other_student)
    who = "member" if signed_in else "anonymous"
    measured = {}
    for name, url in (("home", "/"), ("tag", "/tags/bts/"), ("thread", forum.get_absolute_url())):
        client.get(url)  # the view is counted once per reader and hour; content types are cached
        measured[f"{name}, {who}"] = queries_for(client, url)

    assert measured == {name: budget for name, budget in BUDGETS.items() if name.endswith(who)}


def test_a_cold_list_loads_what_its_rows_render(client, forum, other_student, settings):
    """Rows not in the cache are rendered with their tags and their authors'
    badges and moderator groups loaded for them together: three queries,
    whatever the number of rows, and none once they are cached."""
    settings.PAGE_CACHE_ENABLED = False
    client.force_login(other_student)
    client.get("/tags/rythme/")  # session, content types: paid once
    cache.clear()

    with CaptureQueriesContext(connection) as cold:
        client.get("/")
    with CaptureQueriesContext(connection) as warm:
        client.get("/")

    assert len(row_loads(cold)) == 3
    assert row_loads(warm) == []
    assert len(warm) == BUDGETS["home, member"]


def row_loads(captured) -> list[str]:
    """The prefetches of rendered rows: tags, badges, moderator groups."""
    return [
        query["sql"]
        for query in captured.captured_queries
        if "_prefetch_related_val" in query["sql"] or '"forum_badge"."user_id" IN (' in query["sql"]
    ]
