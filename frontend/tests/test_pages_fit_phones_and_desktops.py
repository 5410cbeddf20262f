"""The pages in a real browser at a phone size and a desktop size: nothing
overflows sideways, the header controls stay on screen, and a screenshot of
each is saved to var/screenshots/ for people to look at (home, thread and ask
pages, plus the others)."""

from pathlib import Path

import pytest
from django.conf import settings

from frontend.tests.sample_content import build_sample_forum

pytestmark = [pytest.mark.browser, pytest.mark.server]

VIEWPORTS = {"phone": (390, 844), "desktop": (1280, 800)}
SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"


@pytest.fixture
def browser(chromium):
    # One Chromium for the whole module (tests/support/fixtures.py).
    return chromium


@pytest.fixture
def server(live_server_process):
    # The shared server fixture (tests/support/fixtures.py), under this module's name.
    return live_server_process


@pytest.fixture
def forum(server):
    # ORM calls while the module's browser is open: the chromium fixture
    # (tests/support/fixtures.py) tells Django they are safe here.
    return build_sample_forum()


def _check_and_shoot(page, name: str, size: str) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{name} overflows sideways by {overflow}px at {size}"
    for selector in ("#site-search", ".site-nav__ask"):
        box = page.locator(selector).bounding_box()
        width = page.viewport_size["width"]
        assert box is not None, f"{selector} missing"
        assert 0 <= box["x"] <= box["x"] + box["width"] <= width, f"{selector} off screen"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}-{size}.png"), full_page=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}-{size}-first-screen.png"))


def test_home_thread_and_ask_pages_fit_a_phone_and_a_desktop(server, forum, browser):
    thread_url = f"{server.url}/questions/{forum.showcase.pk}/"

    for width, height in VIEWPORTS.values():
        size = f"{width}x{height}"
        context = browser.new_context(viewport={"width": width, "height": height}, locale="fr-FR")
        page = context.new_page()

        page.goto(server.url + "/")
        assert page.locator("html").get_attribute("lang") == "fr"
        _check_and_shoot(page, "home", size)

        page.goto(thread_url)
        assert page.locator("article.answer.is-accepted").count() == 1
        _check_and_shoot(page, "thread", size)

        for name, path in [
            ("signup", "/comptes/signup/"),
            ("tags", "/tags/"),
            ("tag", "/tags/contrat-apprentissage/"),
            ("profile", "/membres/ines/"),
            ("charter", "/charte/"),
            ("not-found", "/questions/999999/"),
        ]:
            page.goto(server.url + path)
            _check_and_shoot(page, name, size)

        page.goto(f"{server.url}/comptes/login/?next=/questions/poser/")
        _check_and_shoot(page, "login", size)
        page.fill("input[name=login]", "karim")
        page.fill("input[name=password]", "correct-horse-battery")
        page.locator("form.auth-form button[type=submit]").click()
        page.wait_for_url("**/questions/poser/")
        page.fill("input[name=tags]", "BTS, Contrat d'apprentissage")
        _check_and_shoot(page, "ask", size)

        page.locator(".question-form button[type=submit]").click()
        page.wait_for_selector(".form-errors")
        _check_and_shoot(page, "ask-errors", size)

        page.goto(thread_url)
        _check_and_shoot(page, "thread-logged-in", size)
        context.close()

    # The smallest phones we support.
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="fr-FR")
    page = context.new_page()
    for name, url in [("home", server.url + "/"), ("thread", thread_url), ("signup", server.url + "/comptes/signup/")]:
        page.goto(url)
        _check_and_shoot(page, name, "360x740")
    context.close()
