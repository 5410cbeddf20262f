"""Search in a real browser against a real server process: the ask form lists
similar questions while the title is typed (before anything is submitted),
and the search page finds a demo question by a word it only has in an answer.

Selectors use names and attributes, never visible text."""

import pytest

from forum.demo.threads import load_threads
from forum.models import Question
from forum.services.answers import accept_answer
from tests.factories import make_answer, make_question, make_user
from tests.support.browser import in_another_thread, session_cookie

pytestmark = [pytest.mark.browser, pytest.mark.server]

# The demo question that answers "rémunération apprenti": its accepted answer
# speaks of "rémunération". The others are there to be ranked against.
WANTED = "Après un BTS en apprentissage, mon salaire en licence pro repart à la 1re année ?"
OTHERS = (
    "Parcoursup et alternance : d'abord l'école ou d'abord l'entreprise ?",
    "Nous recrutons notre premier apprenti : quelles démarches pour une PME ?",
)


def seed_demo_threads(titles) -> dict:
    """The demo threads with these titles, written through the services."""
    members: dict = {}

    def member(username):
        if username not in members:
            members[username] = make_user(username=username)
        return members[username]

    ids = {}
    for thread in load_threads():
        if thread.title not in titles:
            continue
        question = make_question(author=member(thread.author), title=thread.title, body=thread.body, tags=thread.tags)
        answers = [make_answer(author=member(r.author), question=question, body=r.body) for r in thread.replies]
        if thread.accepted is not None:
            accept_answer(user=member(thread.author), answer=answers[thread.accepted])
        ids[thread.title] = question
    assert set(ids) == set(titles), "a demo thread was renamed: update this test"
    return ids


def test_typing_a_title_lists_the_matching_demo_question_before_submitting(chromium, live_server_process):
    # Written from a plain thread: the channel layer's send cannot run inside
    # the event loop Playwright keeps in this one.
    ids = in_another_thread(seed_demo_threads, titles=(WANTED, *OTHERS))
    student = in_another_thread(make_user, username="ines")
    base = live_server_process.url
    context = chromium.new_context(viewport={"width": 390, "height": 844}, extra_http_headers={"Accept-Language": "fr"})
    context.add_cookies([session_cookie(student, base)])
    page = context.new_page()
    try:
        page.goto(f"{base}/questions/poser/")
        assert page.locator("[data-similar-list]").count() == 0
        page.locator("input[name=title]").press_sequentially("rémunération apprenti", delay=20)
        wanted = page.locator(f"[data-similar-list] a[href='{ids[WANTED].get_absolute_url()}']")
        wanted.wait_for(timeout=10_000)
        item = wanted.locator("xpath=..")
        assert item.locator(".status[data-status='solved']").count() == 1
        # Nothing was submitted: the student is still on the form, title typed.
        assert page.url == f"{base}/questions/poser/"
        assert page.locator("input[name=title]").input_value() == "rémunération apprenti"
    finally:
        context.close()


def test_the_header_search_finds_a_word_only_an_answer_has(chromium, live_server_process):
    ids = in_another_thread(seed_demo_threads, titles=(WANTED,))
    base = live_server_process.url
    context = chromium.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    try:
        page.goto(f"{base}/")
        page.locator("#site-search").fill("remuneration")
        page.locator("#site-search").press("Enter")
        result = page.locator(f"[data-search-results] [data-question-id='{ids[WANTED].pk}']")
        result.wait_for(timeout=10_000)
        assert "/recherche/" in page.url
        assert result.locator("[data-matching-answer] mark").count() >= 1
    finally:
        context.close()


def _three_regions():
    author = make_user(username="lea")
    made = {}
    for region, n in (("bretagne", 2), ("corse", 1)):
        for i in range(n):
            question = make_question(
                author=author, title=f"Stage en alternance à choisir, cas {region} {i}", tags=("stage",)
            )
            Question.objects.filter(pk=question.pk).update(region=region)
            made.setdefault(region, []).append(question)
    return made


def test_choosing_a_region_from_the_counts_keeps_the_other_regions_counted(chromium, live_server_process):
    made = in_another_thread(_three_regions)
    base = live_server_process.url
    context = chromium.new_context(viewport={"width": 390, "height": 844}, extra_http_headers={"Accept-Language": "fr"})
    page = context.new_page()
    try:
        page.goto(f"{base}/recherche/?q=stage")
        counts = page.locator("[data-facet-counts]")
        assert counts.locator("[data-facet=region][data-facet-value=bretagne] .facet-count__n").inner_text() == "2"
        counts.locator("[data-facet=region][data-facet-value=bretagne]").click()
        page.wait_for_url("**region=bretagne**")
        results = page.locator("[data-search-results] [data-question-id]")
        assert sorted(int(pk) for pk in results.evaluate_all("els => els.map(e => e.dataset.questionId)")) == sorted(
            q.pk for q in made["bretagne"]
        )
        # The reader can still see what Corsica would give, and go there.
        corse = page.locator("[data-facet-counts] [data-facet=region][data-facet-value=corse]")
        assert corse.locator(".facet-count__n").inner_text() == "1"
        assert page.locator("[data-facet-counts] [data-facet=region][aria-current=true]").count() == 1
    finally:
        context.close()
