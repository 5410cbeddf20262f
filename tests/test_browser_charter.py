"""The charter that teaches, in real browsers (issue 17): a new student opens
the ask form and reads the student hints, in French; a new HR member reads
the HR hints on a thread's answer form and puts them away with "Compris";
after a moderator hides a post, its author opens the outcome page from the
notification and reads the clause with its example."""

from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from forum import charter
from tests.badge_factories import grant_badge, make_organisation
from tests.factories import make_answer, make_moderator, make_question, make_user
from tests.support.browser import session_cookie

pytestmark = [pytest.mark.browser, pytest.mark.server]

PHONE = {"width": 390, "height": 844}
SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
NAMING = "Mon tuteur, M. Durand, refuse mes jours au CFA et me crie dessus devant tout le monde, que faire ?"
NOTE = "On comprend la situation, mais pas de nom : décrivez la personne par son rôle."


@pytest.fixture
def server(live_server_process):
    return live_server_process


@pytest.fixture
def browser(chromium):
    return chromium


def open_as(browser, cookie: dict, url: str, *, language: str = "en"):
    context = browser.new_context(
        viewport=PHONE,
        locale="fr-FR" if language == "fr" else "en-GB",
        extra_http_headers={"Accept-Language": language},
    )
    context.add_cookies([cookie])
    page = context.new_page()
    page.goto(url)
    return page


def shoot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"charter-{name}.png"), full_page=True)


def test_a_new_student_reads_the_student_hints_on_the_ask_form(server, browser):
    student = make_user(username="lina", display_name="Lina")
    page = open_as(browser, session_cookie(student, server.url), f"{server.url}/questions/poser/", language="fr")
    hints = page.locator("aside[data-charter-hints=student]")
    assert hints.is_visible()
    with translation.override("fr"):
        privacy = str(charter.STUDENT_HINTS[0].text)
        heading = str(charter.CLAUSES["personal_data"].title)
    assert privacy in hints.inner_text()
    assert hints.locator("h2").inner_text() == "Avant de publier\u00a0: la charte en bref"
    assert hints.locator("button", has_text="Compris").is_visible()
    # Nothing pushes the form down after the first paint: the hints are in the HTML.
    assert page.locator("aside[data-charter-hints] + form, aside[data-charter-hints] ~ form").count() == 1
    shoot(page, "ask-student-fr")

    hints.locator("a", has_text=heading).first.click()
    page.wait_for_load_state()
    assert page.url.endswith("/charte/#clause-personal_data")
    clause = page.locator("#clause-personal_data")
    assert clause.locator(".clause-example").is_visible()
    assert clause.evaluate("e => e.getBoundingClientRect().top") < PHONE["height"]


def test_a_new_hr_member_reads_the_hr_hints_on_the_answer_form_and_puts_them_away(server, browser):
    moderator = make_moderator(username="demo-mod")
    hr = make_user(username="claire-rh", display_name="Claire")
    grant_badge(user=hr, organisation=make_organisation(moderator=moderator), moderator=moderator)
    question = make_question(
        author=make_user(username="yanis"), title="Comment se passe un entretien pour une alternance ?"
    )
    thread_url = f"{server.url}{question.get_absolute_url()}"

    page = open_as(browser, session_cookie(hr, server.url), thread_url)
    hints = page.locator("#answer-form aside[data-charter-hints=staff]")
    assert hints.is_visible()
    assert "No job ads or recruiting in threads" in hints.inner_text()
    assert "Say which organisation you speak for" in hints.inner_text()
    assert "Protect your privacy" not in hints.inner_text()
    hints.scroll_into_view_if_needed()
    shoot(page, "answer-hr-en")

    with page.expect_navigation():
        hints.locator("button", has_text="Got it").click()
    assert page.url.startswith(thread_url)
    assert page.locator("[data-charter-hints]").count() == 0
    # Server-side: another device does not see them either.
    other_device = open_as(browser, session_cookie(hr, server.url), f"{server.url}/questions/poser/")
    assert other_device.locator("[data-charter-hints]").count() == 0


def test_the_author_of_a_hidden_answer_opens_the_outcome_from_the_notification(server, browser):
    question = make_question(author=make_user(username="asker"), title="Mon tuteur me crie dessus, que faire ?")
    author = make_user(username="emma", display_name="Emma")
    answer = make_answer(author=author, question=question, body=NAMING)
    moderator = make_moderator(username="demo-mod")
    thread_url = f"{server.url}{question.get_absolute_url()}"

    mod_page = open_as(browser, session_cookie(moderator, server.url), thread_url)
    tools = mod_page.locator(f"#answer-{answer.pk} [data-mod-tools]")
    tools.locator("summary").click()
    tools.locator("select[name=clause]").select_option("personal_data")
    tools.locator("textarea[name=note]").fill(NOTE)
    with mod_page.expect_navigation():
        tools.locator("button", has_text="Hide the answer").click()

    page = open_as(browser, session_cookie(author, server.url), f"{server.url}/notifications/")
    link = page.locator(".notification--unread .notification__link").first
    assert "A moderator hid your post" in link.inner_text()
    with page.expect_navigation():
        link.click()
    assert "/moderation/decisions/" in page.url
    outcome = page.locator("article[data-outcome=hide]")
    assert outcome.locator("h1").inner_text() == "Your answer was hidden"
    clause = charter.CLAUSES["personal_data"]
    with translation.override("en"):
        taught = (str(clause.title), str(clause.good), str(clause.bad))
    text = outcome.inner_text()
    for expected in (*taught, NOTE, NAMING[:60]):
        assert expected in text, expected
    assert outcome.locator("a", has_text="Ask for a second review").is_visible()
    assert outcome.locator("a", has_text="Read this clause in the charter").get_attribute("href") == (
        "/charte/#clause-personal_data"
    )
    shoot(page, "outcome-en")
