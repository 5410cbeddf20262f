"""The ask form with many organisations, on a phone: the "ask an organisation"
list scrolls in its own box instead of making the form screens long, a filter
above it finds a school by part of its name (accents aside), a ticked choice
stays shown whatever is typed next, and the question is sent to it.

At national scale there are hundreds of organisations, listed twice (ask one,
hide from some in discreet mode): before, the form was 30,000 px tall at 390 px."""

from pathlib import Path

import pytest
from django.conf import settings

from forum.models import Question
from tests.badge_factories import make_organisation
from tests.factories import make_user
from tests.support.browser import in_another_thread, session_cookie

pytestmark = [pytest.mark.browser, pytest.mark.server]

SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
PHONE = {"width": 390, "height": 844}
CITIES = ("Paris", "Lille", "Nantes", "Rennes", "Brest", "Dijon", "Metz", "Caen", "Tours", "Pau")


def make_world():
    moderator = make_user(username="modo", is_staff=True)
    for index, city in enumerate(CITIES):
        for kind, domain in (("Banque", "banque"), ("CFA", "cfa"), ("Lycée", "lycee")):
            make_organisation(moderator=moderator, name=f"{kind} {city}", domains=[f"{domain}-{index}.fr"])
    make_organisation(moderator=moderator, name="École des métiers de Lyon", domains=["em-lyon.fr"])
    return make_user(username="nora", display_name="Nora", charter_accepted_at=moderator.date_joined)


def test_a_long_organisation_list_scrolls_and_filters(live_server_process, chromium):
    server = live_server_process
    student = in_another_thread(make_world)
    context = chromium.new_context(viewport=PHONE, locale="fr-FR")
    context.add_cookies([session_cookie(student, server.url)])
    page = context.new_page()
    page.goto(f"{server.url}/questions/poser/")

    choices = page.locator("#id_addressed_to")
    box = choices.bounding_box()
    assert box is not None
    assert box["height"] < 300
    assert choices.evaluate("el => el.scrollHeight > el.clientHeight + 100")
    assert choices.locator("> div").count() == 31

    organisation_filter = page.get_by_role("searchbox", name="Filtrer les organisations").first
    organisation_filter.fill("ecole")
    visible = choices.locator("> div:visible")
    assert visible.count() == 1
    visible.locator("input").check()
    organisation_filter.fill("lille")
    assert [text.strip() for text in choices.locator("> div:visible").all_inner_texts()] == [
        "Banque Lille",
        "CFA Lille",
        "Lycée Lille",
        "École des métiers de Lyon",
    ]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "ask-organisation-filter.png"), full_page=True)
    assert page.evaluate("document.body.scrollHeight") < 5000

    page.fill("#id_title", "Quel rythme d'alternance propose l'École des métiers en BTS ?")
    page.fill("#id_body", "Je cherche un BTS en alternance à Lyon, je voudrais connaître le rythme école-entreprise.")
    page.fill("#id_tags", "BTS, rythme")
    page.locator(".question-form button[type=submit]").click()
    page.wait_for_url("**/questions/*/*/")

    asked = in_another_thread(lambda: list(Question.objects.get(author=student).addressed_to.values_list("name")))
    assert asked == [("École des métiers de Lyon",)]
    context.close()
