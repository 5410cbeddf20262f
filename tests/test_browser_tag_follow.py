"""Following a tag from its page in a real browser, at desktop width: the
Follow button sits on the counts' line (a form inside a <p> was closed out of
it by the HTML parser, after a stray separator), and following updates the
count and the button.

Selectors use names and attributes, never visible text."""

import pytest

from forum.services.questions import ask_question
from tests.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.server]

PASSWORD = "un-mot-de-passe-solide-42"


def test_a_member_follows_a_tag_from_the_counts_line(chromium, live_server_process):
    make_user(username="ines-browser", password=PASSWORD)
    ask_question(
        author=make_user(username="asker-browser"),
        title="Quel salaire pour un BTS en alternance ?",
        body="Première année, 19 ans : combien vais-je toucher ?",
        tags=["salaire"],
    )
    page = chromium.new_context(viewport={"width": 1280, "height": 800}, locale="fr-FR").new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server_process.url}/comptes/login/")
    page.fill("input[name=login]", "ines-browser")
    page.fill("input[name=password]", PASSWORD)
    page.locator("form.auth-form button[type=submit]").click()
    page.wait_for_load_state()
    page.goto(f"{live_server_process.url}/tags/salaire/")

    counts = page.locator(".tag-about__counts")
    button = counts.locator("form button[data-follow-tag]")
    assert button.count() == 1
    followers = counts.locator("[data-tag-follower-count]")
    assert followers.inner_text().startswith("0")
    # One line: the button's vertical middle within the count's line box.
    count_box, button_box = followers.bounding_box(), button.bounding_box()
    middle = button_box["y"] + button_box["height"] / 2
    assert count_box["y"] <= middle <= count_box["y"] + count_box["height"]
    # No separator after the last item of the line.
    assert not counts.evaluate("el => el.lastElementChild.matches('[aria-hidden=true]')")

    button.click()
    page.wait_for_load_state()
    counts = page.locator(".tag-about__counts")
    assert counts.locator("[data-tag-follower-count]").inner_text().startswith("1")
    assert counts.locator("input[name=following]").get_attribute("value") == "0"  # now an Unfollow button
