"""Alice's header counter goes from 0 to 1 live when Bob answers her question,
and following it lands on Bob's answer, which reading marks read."""

from pathlib import Path

import httpx
import pytest
from django.conf import settings

from forum.services.tokens import issue_token
from tests.factories import make_question, make_user
from tests.support.browser import session_cookie

pytestmark = [pytest.mark.browser, pytest.mark.server]

SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"


@pytest.fixture
def people(live_server_process):
    alice = make_user(username="alice", display_name="Alice")
    bob = make_user(username="bob", display_name="Bob")
    question = make_question(author=alice, title="Combien de jours de congés en alternance ?")
    return {
        "alice": session_cookie(alice, live_server_process.url),
        "bob_token": issue_token(user=bob, device_name="test")[1],
        "question": question,
    }


@pytest.mark.parametrize("viewport", [{"width": 390, "height": 844}, {"width": 1280, "height": 800}])
def test_the_counter_goes_live_from_0_to_1_and_lands_on_the_answer(live_server_process, people, chromium, viewport):
    server = live_server_process
    context = chromium.new_context(viewport=viewport, locale="fr-FR")
    context.add_cookies([people["alice"]])
    page = context.new_page()
    page.goto(server.url + "/")
    page.wait_for_selector("body[data-live-state=live]")
    counter = page.locator("[data-notification-count]:visible")
    assert counter.count() == 0
    assert page.locator("[data-notification-count]").first.text_content().strip() == "0"

    posted = httpx.post(
        f"{server.url}/api/v1/threads/{people['question'].pk}/answers/",
        json={"body": "Cinq semaines par an, comme tout salarié, plus les jours d'examen."},
        headers={"Authorization": f"Bearer {people['bob_token']}"},
        timeout=10,
    )
    assert posted.status_code == 201, posted.text
    answer_id = posted.json()["id"]

    counter.first.wait_for(timeout=10_000)
    assert counter.first.text_content().strip() == "1"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"notifications-header-{viewport['width']}.png"))

    if viewport["width"] < 480:
        # Phones: the count is on the avatar, the centre in its menu.
        page.locator(".menu__button").click()
        page.locator(".menu__panel a[href='/notifications/']").click()
    else:
        page.locator("[data-notification-bell]").click()
    page.wait_for_load_state()
    item = page.locator(".notification--unread .notification__link").first
    assert "Bob a répondu à votre question" in item.text_content()
    page.screenshot(path=str(SCREENSHOTS / f"notifications-list-{viewport['width']}.png"))
    item.click()
    page.wait_for_load_state()
    assert page.url.endswith(f"{people['question'].get_absolute_url()}#answer-{answer_id}")
    assert page.locator(f"#answer-{answer_id}").is_visible()
    # Reading it marked it read: the counter is back to 0 on this page.
    assert page.locator("[data-notification-count]:visible").count() == 0
    context.close()
