"""The calendar's two nudges in a browser: during the contract signing window a
verified HR finds the waiting questions on top of the unanswered list, and a
student opens the reminder of the new answers to her question."""

from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from forum.notifications import nudges
from tests.calendar_factories import make_window, without_default_windows
from tests.factories import make_answer, make_moderator, make_question, make_user
from tests.live_factories import make_verified_hr
from tests.support.browser import session_cookie

pytestmark = [pytest.mark.browser, pytest.mark.server]

SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
VIEWPORTS = [{"width": 390, "height": 844}, {"width": 1280, "height": 800}]


@pytest.fixture
def scene(live_server_process):
    moderator = make_moderator(username="modo")
    without_default_windows()
    # Active since 10 days, ends in 20; a 20-day lead: the reminder is due today.
    make_window(
        moderator=moderator,
        tags=("recherche-entreprise", "candidature"),
        reminder_tags=("recherche-entreprise",),
        reminder_days=20,
    )
    hr = make_verified_hr(moderator=moderator)
    alice = make_user(username="alice", display_name="Alice")
    bob = make_user(username="bob", display_name="Bob")
    waiting = make_question(
        author=bob,
        title="Relancer une entreprise après un entretien : combien attendre ?",
        tags=("candidature",),
    )
    asked = make_question(
        author=alice, title="Trouver une entreprise pour mon BTS avant fin novembre ?", tags=("recherche-entreprise",)
    )
    answer = make_answer(author=bob, question=asked)
    nudges.send_due_reminders(now=timezone.now())
    return {
        "hr": session_cookie(hr, live_server_process.url),
        "alice": session_cookie(alice, live_server_process.url),
        "waiting": waiting,
        "asked": asked,
        "answer": answer,
    }


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_a_verified_hr_sees_the_waiting_questions_first(live_server_process, scene, chromium, viewport):
    context = chromium.new_context(viewport=viewport, locale="fr-FR")
    context.add_cookies([scene["hr"]])
    page = context.new_page()
    page.goto(live_server_process.url + "/questions/sans-reponse/")
    boost = page.locator("[data-calendar-boost]")
    assert boost.is_visible()
    assert "Signature du contrat : ces questions attendent une réponse" in boost.text_content()
    link = boost.locator(f"[data-boosted-question='{scene['waiting'].pk}'] a")
    assert link.is_visible()
    # The section is above the list, in the first screen.
    assert boost.bounding_box()["y"] < page.locator("[data-question-list]").bounding_box()["y"]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"calendar-boost-{viewport['width']}.png"), full_page=True)
    link.click()
    page.wait_for_load_state()
    assert page.url.endswith(scene["waiting"].get_absolute_url())
    context.close()


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_a_student_opens_her_reminder_and_lands_on_the_new_answer(live_server_process, scene, chromium, viewport):
    context = chromium.new_context(viewport=viewport, locale="fr-FR")
    context.add_cookies([scene["alice"]])
    page = context.new_page()
    page.goto(live_server_process.url + "/notifications/")
    item = page.locator(".notification__link", has_text="Signature du contrat jusqu’au").first
    assert "1 nouvelle réponse à vos questions depuis votre dernière visite" in item.text_content()
    page.screenshot(path=str(SCREENSHOTS / f"calendar-reminder-{viewport['width']}.png"), full_page=True)
    item.click()
    page.wait_for_load_state()
    assert page.url.endswith(f"{scene['asked'].get_absolute_url()}#answer-{scene['answer'].pk}")
    context.close()
