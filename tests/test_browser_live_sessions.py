"""A live session in three real browsers (issue 13): a host and two students.
Questions sent before the start appear for everyone, a vote reorders the queue
live, the host answers and both students see the answer without reloading;
after the end the transcript shows the pair. Screenshots at phone and desktop
sizes, in French and English, land in var/screenshots."""

from pathlib import Path

import pytest
from django.conf import settings

from forum.models import LiveQuestion
from tests.factories import make_moderator, make_user
from tests.live_factories import make_live_session, make_verified_hr, set_clock
from tests.support.browser import session_cookie

pytestmark = [pytest.mark.browser, pytest.mark.server]

SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
ALICE_ASKS = "Comment relancer une entreprise qui ne répond pas à ma candidature ?"
BOB_ASKS = "Faut-il adapter son CV à chaque entreprise pour un BTS en alternance ?"
ANSWER = "Oui : gardez une base commune et adaptez l’accroche et les expériences mises en avant à chaque offre."


@pytest.fixture
def server(live_server_process):
    return live_server_process


@pytest.fixture
def browser(chromium):
    return chromium


@pytest.fixture
def people(server):
    moderator = make_moderator(username="modo")
    hr = make_verified_hr(moderator=moderator, username="helene")
    alice = make_user(username="alice", display_name="Alice")
    bob = make_user(username="bob", display_name="Bob")
    session = make_live_session(organiser=hr, title="Chat conseil : décrocher son alternance")
    return {
        "session": session,
        "hr": session_cookie(hr, server.url),
        "alice": session_cookie(alice, server.url),
        "bob": session_cookie(bob, server.url),
    }


def open_as(browser, cookie: dict | None, url: str, viewport=PHONE, locale="fr-FR", live=True):
    context = browser.new_context(viewport=viewport, locale=locale)
    if cookie:
        context.add_cookies([cookie])
    page = context.new_page()
    page.goto(url)
    if live:
        page.wait_for_selector("body[data-live-state=live]")
    # Marks this very document: it disappears if the page reloads.
    page.evaluate("window.sameDocument = true")
    return page


def queue_texts(page) -> list[str]:
    return page.locator("[data-live-queue] > li [data-q-body]").all_inner_texts()


def test_host_and_two_students_follow_a_session_live(server, people, browser):
    session = people["session"]
    url = f"{server.url}{session.get_absolute_url()}"
    host = open_as(browser, people["hr"], url, viewport=DESKTOP)
    bob = open_as(browser, people["bob"], url)
    alice = open_as(browser, people["alice"], url)

    # Before the start: Alice sends a question through the form (a plain POST).
    alice.locator("#live-question-form textarea").fill(ALICE_ASKS)
    alice.locator("#live-question-form button[type=submit]").click()
    alice.wait_for_load_state()
    alice.wait_for_selector("body[data-live-state=live]")
    alice.evaluate("window.sameDocument = true")
    for page in (host, bob):
        page.locator("[data-live-queue]").get_by_text("relancer une entreprise").wait_for()
        assert page.evaluate("window.sameDocument") is True

    bob.locator("#live-question-form textarea").fill(BOB_ASKS)
    bob.locator("#live-question-form button[type=submit]").click()
    bob.wait_for_load_state()
    bob.wait_for_selector("body[data-live-state=live]")
    bob.evaluate("window.sameDocument = true")
    alice.locator("[data-live-queue]").get_by_text("adapter son CV").wait_for()
    assert "relancer" in queue_texts(host)[0]

    # Alice votes for Bob's question: it moves to the top everywhere, live.
    bob_question = LiveQuestion.objects.get(body=BOB_ASKS)
    alice.locator(f"#live-question-{bob_question.pk} [data-live-vote-form] button").click()
    for page in (host, bob, alice):
        page.wait_for_function(
            "id => document.querySelector('[data-live-queue] > li').id === 'live-question-' + id", arg=bob_question.pk
        )
        assert "1 vote" in page.locator(f"#live-question-{bob_question.pk} [data-vote-count]").inner_text()
    assert alice.evaluate("window.sameDocument") is True
    bob.screenshot(path=str(SCREENSHOTS / "live-session-before-start-390.png"), full_page=True)

    # The session starts: the host's page offers the host tools.
    set_clock(session, "live")
    host.reload()
    host.wait_for_selector("body[data-live-state=live]")
    item = host.locator(f"#live-question-{bob_question.pk}")
    item.get_by_role("button", name="Répondre à celle-ci").click()
    host.wait_for_load_state()
    bob.locator(f"#live-question-{bob_question.pk} [data-q-answering]").wait_for(state="visible")
    host.locator(f"#live-question-{bob_question.pk} textarea").fill(ANSWER)
    host.locator(f"#live-question-{bob_question.pk} .live-q__answer-form button[type=submit]").click()
    host.wait_for_load_state()

    for page in (alice, bob):
        answered = page.locator(f"[data-live-answered] #live-question-{bob_question.pk}")
        answered.get_by_text("gardez une base commune").wait_for()
        assert page.evaluate("window.sameDocument") is True
    alice.screenshot(path=str(SCREENSHOTS / "live-session-answered-390.png"), full_page=True)
    host.screenshot(path=str(SCREENSHOTS / "live-session-host-1280.png"), full_page=True)

    # After the end, the transcript shows the pair; a late question is refused.
    set_clock(session, "closed")
    transcript = open_as(browser, None, f"{server.url}{session.get_transcript_url()}", viewport=PHONE, live=False)
    pair = transcript.locator(f"#live-question-{bob_question.pk}")
    assert "adapter son CV" in pair.inner_text()
    assert "gardez une base commune" in pair.inner_text()
    transcript.screenshot(path=str(SCREENSHOTS / "live-transcript-390.png"), full_page=True)
    english = open_as(
        browser, None, f"{server.url}{session.get_transcript_url()}?lang=en", viewport=DESKTOP, live=False
    )
    assert "transcript" in english.locator("main").inner_text().lower()
    english.screenshot(path=str(SCREENSHOTS / "live-transcript-en-1280.png"), full_page=True)
    alice.reload()
    assert alice.locator("#live-question-form").count() == 0
    assert "n’accepte plus de questions" in alice.locator("main").inner_text()


def test_the_page_fits_a_phone_without_javascript(server, people, browser):
    session = people["session"]
    context = browser.new_context(viewport=PHONE, locale="fr-FR", java_script_enabled=False)
    context.add_cookies([people["alice"]])
    page = context.new_page()
    page.goto(f"{server.url}{session.get_absolute_url()}")
    page.locator("#live-question-form textarea").fill(ALICE_ASKS)
    page.locator("#live-question-form button[type=submit]").click()
    page.wait_for_load_state()
    assert "relancer une entreprise" in page.locator("[data-live-queue]").inner_text()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], width
    page.screenshot(path=str(SCREENSHOTS / "live-session-nojs-390.png"), full_page=True)
    english = browser.new_context(viewport=PHONE, locale="en-GB", java_script_enabled=False).new_page()
    english.goto(f"{server.url}{session.get_absolute_url()}?lang=en")
    assert "Questions waiting" in english.locator("main").inner_text()
    assert english.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    english.screenshot(path=str(SCREENSHOTS / "live-session-en-390.png"), full_page=True)
