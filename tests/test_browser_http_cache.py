"""An anonymous reader on a phone, through the HTTP cache as production serves
pages (Varnish in front of granian): the thread page comes from the cache on
the second visit and is the same page, its reader is still counted (live.js's
beacon), and an answer posted meanwhile is on the page the next time without
waiting for anything."""

import time
from pathlib import Path

import pytest
from django.conf import settings

from forum.models import Question
from forum.services.answers import post_answer
from tests.factories import make_question, make_user
from tests.support.http_cache import settle, web_behind_cache

pytestmark = [pytest.mark.browser, pytest.mark.server]

SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def cache(start_server_process, tmp_path, settings):
    varnish = web_behind_cache(start_server_process, tmp_path / "varnish", settings)
    yield varnish
    varnish.stop()


def view_count(question_id: int) -> int:
    return Question.objects.values_list("view_count", flat=True).get(pk=question_id)


def test_an_anonymous_reader_gets_the_cached_thread_is_counted_and_sees_a_new_answer(cache, chromium):
    question = make_question(
        author=make_user(username="clara"),
        title="Combien de jours de congés pour un apprenti en BTS ?",
        body="Mon employeur dit que les semaines au CFA comptent comme des congés, c'est normal ?",
    )
    answerer = make_user(username="rh-alternance")
    settle()
    url = cache.url + question.get_absolute_url()
    context = chromium.new_context(viewport=PHONE, locale="fr-FR")
    page = context.new_page()
    try:
        first = page.goto(url)
        assert first.headers["x-cache"] == "miss"
        page.wait_for_load_state("networkidle")
        before = view_count(question.pk)

        # Another reader, elsewhere (the address the proxy would have added),
        # in a context of their own: the page comes from the cache.
        other = chromium.new_context(
            viewport=PHONE, locale="fr-FR", extra_http_headers={"X-Forwarded-For": "198.51.100.8"}
        )
        reader = other.new_page()
        with reader.expect_request(lambda request: "/vues/" in request.url and request.method == "POST"):
            second = reader.goto(url)
        assert second.headers["x-cache"] == "hit"
        assert reader.locator("#question-title").inner_text() == question.title
        assert second.text() == first.text()
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        reader.screenshot(path=str(SCREENSHOTS / "http-cache-thread-hit.png"), full_page=True)
        reader.wait_for_load_state("networkidle")
        other.close()
        # Its beacon counted the view the page itself never reached Python for.
        deadline = time.monotonic() + 10
        while view_count(question.pk) == before and time.monotonic() < deadline:
            time.sleep(0.1)
        assert view_count(question.pk) == before + 1

        post_answer(
            author=answerer,
            question=question,
            body="Non : les semaines au CFA sont du temps de travail, tes cinq semaines de congés restent entières.",
        )
        third = page.goto(url)
        assert third.headers["x-cache"] == "miss"
        assert page.get_by_text("tes cinq semaines de congés restent entières").is_visible()
    finally:
        context.close()


def logged_in(chromium, cache, name: str, contexts: list):
    context = chromium.new_context(viewport=PHONE, locale="fr-FR")
    contexts.append(context)
    page = context.new_page()
    page.goto(f"{cache.url}/comptes/login/")
    page.fill("input[name=login]", name)
    page.fill("input[name=password]", "correct-horse-battery")
    page.locator("form.auth-form button[type=submit]").click()
    page.wait_for_selector(".menu__button")
    return page


def test_a_member_logs_in_gets_the_home_page_assembled_by_the_cache_and_logs_out(cache, chromium):
    make_question(author=make_user(username="yanis"), title="Faut-il un CV différent pour une alternance en BUT ?")
    make_user(username="margaux", display_name="Margaux", password="correct-horse-battery")
    make_user(username="elias", display_name="Elias", password="correct-horse-battery")
    settle()
    contexts = []
    try:
        pages = {}
        for name in ("margaux", "elias"):
            pages[name] = logged_in(chromium, cache, name, contexts)
        # Her home page a second time, then his: the members' copy, each with their own menu.
        pages["margaux"].goto(cache.url + "/")
        again = pages["margaux"].goto(cache.url + "/")
        assert again.headers["x-cache"] == "hit"
        his = pages["elias"].goto(cache.url + "/")
        assert his.headers["x-cache"] == "hit"
        for name, page in pages.items():
            assert page.get_by_text("Faut-il un CV différent pour une alternance en BUT ?").is_visible()
            page.locator(".menu__button").click()
            assert page.locator(".menu__who").inner_text().startswith(name.title())
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        pages["margaux"].screenshot(path=str(SCREENSHOTS / "http-cache-member-home.png"), full_page=False)

        # The logout form's token, written in by the cache, is hers.
        pages["margaux"].locator(".menu__panel form[action$='/comptes/logout/'] button").click()
        pages["margaux"].wait_for_selector(".site-nav a[href^='/comptes/login/']")
        assert pages["margaux"].locator(".menu__button").count() == 0
    finally:
        for context in contexts:
            context.close()


def test_members_read_a_thread_assembled_by_the_cache_follow_it_and_answer(cache, chromium):
    question = make_question(
        author=make_user(username="yanis"),
        title="Mon entreprise peut-elle me faire travailler le samedi ?",
        body="Je suis apprentie en BTS MCO et mon manager veut me planifier tous les samedis.",
    )
    make_user(username="margaux", display_name="Margaux", password="correct-horse-battery")
    make_user(username="elias", display_name="Elias", password="correct-horse-battery")
    settle()
    url = cache.url + question.get_absolute_url()
    contexts = []
    try:
        margaux, elias = (logged_in(chromium, cache, name, contexts) for name in ("margaux", "elias"))
        margaux.goto(url)
        shared = elias.goto(url)
        # His page is the members' copy hers made, with his own menu.
        assert shared.headers["x-cache"] == "hit"
        elias.locator(".menu__button").click()
        assert elias.locator(".menu__who").inner_text().startswith("Elias")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        elias.screenshot(path=str(SCREENSHOTS / "http-cache-member-thread-shared.png"), full_page=False)
        elias.locator(".menu__button").click()
        assert view_count(question.pk) == 2

        # He follows the thread with the form's token the cache wrote in.
        elias.locator("[data-follow-thread]").click()
        elias.wait_for_selector("[data-follow-thread]:has-text('Ne plus suivre')")
        assert "Ne plus suivre" not in margaux.goto(url).text()
        # And answers it from the same page.
        elias.fill(
            "#answer-form textarea[name=body]",
            "Oui si ta convention le prévoit, avec un jour de repos dans la semaine.",
        )
        elias.get_by_role("button", name="Publier ma réponse").click()
        elias.wait_for_selector("text=avec un jour de repos dans la semaine")
        elias.screenshot(path=str(SCREENSHOTS / "http-cache-member-thread.png"), full_page=False)
        assert margaux.goto(url).headers["x-cache"] == "miss"
        assert margaux.get_by_text("avec un jour de repos dans la semaine").is_visible()
        # Both were counted once, however many reads the cache answered.
        assert view_count(question.pk) == 2
    finally:
        for context in contexts:
            context.close()
