"""The home page, the tag pages and search: filters, pagination, bad
parameters, and a constant number of queries whatever the list shows."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from forum import queries
from forum.insights import menu as insights_menu
from forum.services.answers import accept_answer
from tests.factories import make_answer, make_question, make_user

pytestmark = pytest.mark.django_db


def question_ids(response) -> list[int]:
    return [int(pk) for pk in re.findall(r'data-question-id="(\d+)"', response.content.decode())]


def test_the_home_page_lists_recent_activity_with_status_counts_and_authors(client, student, other_student):
    quiet = make_question(author=student, title="Qui connaît le rythme du BTS NDRC à Lille ?")
    busy = make_question(author=other_student, title="Peut-on changer d'entreprise en cours de contrat ?")
    make_answer(author=student, question=busy)

    response = client.get("/")

    assert response.status_code == 200
    assert question_ids(response) == [busy.pk, quiet.pk]  # the latest activity first
    html = response.content.decode()
    assert "Qui connaît le rythme du BTS NDRC à Lille ?" in html
    assert 'data-status="open"' in html
    assert ">Bob</a>" in html  # authors by display name, through the author partial


def test_the_filters_show_unanswered_and_solved_questions(client, student, other_student):
    unanswered = make_question(author=student)
    answered = make_question(author=student)
    solved = make_question(author=student)
    make_answer(author=other_student, question=answered)
    accept_answer(user=student, answer=make_answer(author=other_student, question=solved))

    assert set(question_ids(client.get("/?filter=unanswered"))) == {unanswered.pk}
    assert set(question_ids(client.get("/?filter=solved"))) == {solved.pk}
    assert set(question_ids(client.get("/?filter=all"))) == {unanswered.pk, answered.pk, solved.pk}
    solved_row = client.get("/?filter=solved").content.decode()
    assert 'data-status="solved"' in solved_row
    assert "Solved" in solved_row


def test_an_unknown_filter_shows_every_question_instead_of_failing(client, student):
    question = make_question(author=student)

    for value in ["nonsense", "", "<script>", "solved'--"]:
        response = client.get("/", {"filter": value})
        assert response.status_code == 200
        assert question_ids(response) == [question.pk]


def test_searching_matches_every_word_of_the_title_or_the_text(client, student):
    match = make_question(author=student, title="Salaire d'un apprenti de 19 ans en BTS")
    make_question(author=student, title="Période d'essai en contrat de professionnalisation")

    # The old address of search keeps working: it redirects to /recherche/.
    response = client.get("/", {"q": "salaire BTS"}, follow=True)

    assert response.redirect_chain == [("/recherche/?q=salaire+BTS", 302)]
    assert question_ids(response) == [match.pk]
    assert "Results for “salaire BTS”" in response.content.decode()


def test_a_search_with_no_result_says_so_and_suggests_asking(client, student):
    make_question(author=student)

    response = client.get("/", {"q": "introuvable"}, follow=True)

    assert response.status_code == 200
    assert "No question matches “introuvable”." in response.content.decode()


def test_a_very_long_or_strange_search_is_handled(client, student):
    make_question(author=student)

    assert client.get("/", {"q": "' OR 1=1 --"}, follow=True).status_code == 200
    # Nothing to search for: the search form says so.
    for q in ["%_%", "\x00", "🙂 " * 50]:
        response = client.get("/", {"q": q}, follow=True)
        assert response.status_code == 400
        assert b'name="q"' in response.content
    # Over forum.limits' 200 characters: the 400 page, which says why.
    assert client.get("/", {"q": "x" * 5000}).status_code == 400


def test_the_home_page_shows_twenty_questions_per_page(client, student):
    questions = [make_question(author=student) for _ in range(23)]
    newest_first = [q.pk for q in reversed(questions)]

    first = client.get("/")
    second = client.get("/", {"page": "2"})

    assert question_ids(first) == newest_first[:20]
    assert question_ids(second) == newest_first[20:]
    assert 'rel="next"' in first.content.decode()
    assert 'rel="prev"' not in first.content.decode()
    assert 'rel="prev"' in second.content.decode()
    assert 'rel="next"' not in second.content.decode()


def test_pagination_links_keep_the_filter_and_the_search(client, student):
    for _ in range(21):
        make_question(author=student, title="Rythme en alternance : deux jours à l'école, trois en entreprise")

    html = client.get("/", {"filter": "unanswered", "q": "rythme"}, follow=True).content.decode()

    # A search pages by cursor (/recherche/), keeping the filter and the words.
    assert 'href="?filter=unanswered&amp;q=rythme&amp;cursor=' in html


def test_a_page_number_that_is_not_a_number_shows_the_first_page(client, student):
    question = make_question(author=student)

    for page in ["abc", "-1", "0", "1.5", "99999999999999999999999", ""]:
        response = client.get("/", {"page": page})
        assert response.status_code == 200, page
        assert question_ids(response) == [question.pk]


def test_a_page_after_the_last_one_is_not_found(client, student):
    make_question(author=student)

    assert client.get("/", {"page": "2"}).status_code == 404
    assert client.get("/", {"page": "9999"}).status_code == 404


def _count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("logged_in", [False, True], ids=["anonymous", "member"])
def test_the_home_page_runs_the_same_number_of_queries_for_3_or_30_questions(client, student, logged_in):
    authors = [make_user() for _ in range(3)]
    if logged_in:
        client.force_login(student)
    for i in range(3):
        make_question(author=authors[i % 3], tags=("bts", f"tag-{i}"))
    if logged_in:
        # Remembered per member from their first page on (forum/insights/menu.py):
        # not what this test counts.
        insights_menu.may_view_insights(student)
    # The calendar windows are read once and shared by every page (forum/queries.py).
    queries.calendar_windows()
    with_three = _count_queries(client, "/")

    for i in range(27):
        question = make_question(author=make_user(), tags=("bts", f"tag-{i}", "rythme"))
        make_answer(author=authors[i % 3], question=question)
    with_thirty = _count_queries(client, "/")

    assert with_three == with_thirty
    # The pinned budgets are in test_page_query_budgets.py. Here every request
    # renders: anonymous pages and members' shared pages (frontend/page_cache.py)
    # are stored by the first one, and the new rows change the page. A member's
    # render asks what their lists depend on, before and again after rendering
    # (a page rendered while they changed is not stored), and renders their
    # account menu once more to find it in the page (its unread count: 3 more
    # queries); the new rows load their tags and badges (not in the cache yet).
    assert with_thirty <= (17 if logged_in else 14)
    if logged_in:
        # The shared copy: the session with its member (their list traits,
        # their unread count), the page's version.
        assert _count_queries(client, "/") <= 2


def test_tag_pages_run_the_same_number_of_queries_for_3_or_30_questions(client, student):
    for _ in range(3):
        make_question(author=make_user(), tags=("bts",))
    queries.calendar_windows()  # read once, shared by every page
    with_three = _count_queries(client, "/tags/bts/")
    for _ in range(27):
        make_question(author=make_user(), tags=("bts", "salaire"))
    assert _count_queries(client, "/tags/bts/") == with_three


def test_the_tag_index_lists_tags_by_popularity_with_counts(client, student):
    make_question(author=student, tags=("bts", "rythme"))
    make_question(author=student, tags=("bts", "salaire"))
    make_question(author=student, tags=("bts", "rythme"))

    html = client.get("/tags/").content.decode()

    names = re.findall(r'class="tag" href="/tags/([\w-]+)/"', html)
    assert names == ["bts", "rythme", "salaire"]
    assert "3 questions" in html
    assert "1 question" in html


def test_a_tag_page_lists_only_its_questions_and_offers_to_ask_with_it(client, student):
    # "rupture" alone is a synonym of rupture-contrat (saved as its tag).
    tagged = make_question(author=student, tags=("rupture-contrat",))
    make_question(author=student, tags=("salaire",))

    response = client.get("/tags/rupture-contrat/")

    assert response.status_code == 200
    assert question_ids(response) == [tagged.pk]
    html = response.content.decode()
    assert 'href="/questions/poser/?tag=rupture-contrat"' in html
    assert 'data-live-topics="tag:rupture-contrat"' in html


def test_an_unknown_tag_is_not_found(client):
    assert client.get("/tags/nexiste-pas/").status_code == 404


def test_lists_follow_the_live_dom_contract(client, student):
    question = make_question(author=student)

    html = client.get("/").content.decode()

    assert 'data-live-topics="feed"' in html
    assert re.search(r'data-live-cursor="\d+"', html)
    assert 'data-ws-url="/ws/"' in html
    assert '<div id="live-status" class="live-status" role="status" aria-live="polite" hidden' in html
    assert 'id="live-announcer"' in html
    assert '<ol class="question-list" data-question-list' in html
    assert f'data-question-id="{question.pk}"' in html
    assert "data-answer-count>0<" in html
    assert "data-thread-status" in html
    assert '<template id="question-template">' in html
    assert "data-new-questions" in html
    assert "frontend/live.js" in html
