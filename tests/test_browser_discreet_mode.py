"""Discreet mode in a real browser: the bank's verified HR reads a thread whose
asker hides from the bank, sees "Un·e alternant·e" where the name would be,
and an answer the asker posts meanwhile arrives live, masked too."""

from pathlib import Path

import pytest
from django.conf import settings

from tests.discreet_factories import ASKER_NAME, ASKER_USERNAME, make_discreet_world
from tests.factories import make_answer
from tests.support.browser import in_another_thread, session_cookie

pytestmark = [pytest.mark.browser, pytest.mark.server]

SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
PHONE = {"width": 390, "height": 844}
MASKED = "Un·e alternant·e"


@pytest.fixture
def server(live_server_process):
    return live_server_process


@pytest.fixture
def browser(chromium):
    return chromium


def test_the_employers_hr_sees_an_apprentice_on_the_thread_and_in_a_live_answer(server, browser):
    # Writes from a plain thread: Playwright's loop runs in this one, and the
    # events of a write are sent to the channel layer (docs/known-traps.md).
    world = in_another_thread(make_discreet_world, answers=False)
    in_another_thread(
        make_answer,
        author=world.hr_hidden,
        question=world.question,
        body="Parlez-en d'abord à votre CFA, il peut aider.",
    )
    context = browser.new_context(viewport=PHONE, locale="fr-FR")
    context.add_cookies([session_cookie(world.hr_hidden, server.url)])
    page = context.new_page()
    page.goto(f"{server.url}{world.question.get_absolute_url()}")
    page.wait_for_selector("body[data-live-state=live]")
    page.evaluate("window.sameDocument = true")

    asked_by = page.locator(".asked-by .author__name")
    assert asked_by.inner_text() == MASKED
    assert asked_by.evaluate("el => el.tagName") == "SPAN"  # no link to a profile

    in_another_thread(
        make_answer, author=world.asker, question=world.question, body="Merci, j'écris à mon référent CFA dès demain."
    )

    arrived = page.locator("article.answer").nth(1)
    arrived.wait_for(timeout=10_000)
    assert arrived.locator(".author__name").inner_text() == MASKED
    assert page.evaluate("window.sameDocument") is True  # live, not a reload
    html = page.content()
    assert ASKER_NAME not in html
    assert ASKER_USERNAME not in html
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "discreet-mode-hr.png"), full_page=True)
    context.close()
