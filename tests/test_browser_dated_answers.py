"""A dated legal answer, end to end in a real browser against a real server:
verified HR answers a pay question with a "valid as of" date and an official
source; it shows on the thread. Then the year turns (the server restarted with
LEGAL_ANSWERS_TODAY after the reference date: the clock, not the database):
the answer shows "À vérifier", appears in its author's list, and one click
confirms it still valid."""

import re
from datetime import date

import pytest

from forum.demo.organisations import seed_organisations
from forum.demo.steps import SeedContext, seed_members
from forum.models import Answer
from tests.factories import make_question
from tests.support.browser import in_another_thread

pytestmark = [pytest.mark.browser, pytest.mark.server]

PASSWORD = "un-mot-de-passe-solide-42"
SOURCE = "https://www.service-public.fr/particuliers/vosdroits/F2918"
BODY = "À 19 ans en 2e année d'apprentissage, le minimum légal est 51 % du SMIC. Vérifiez votre convention."


@pytest.fixture
def live_server_env():
    return {"FORUM_PREMODERATE_FIRST_POSTS": "0", "LEGAL_ANSWERS_TODAY": "2026-12-03"}


@pytest.fixture
def thread(live_server_process):
    ctx = SeedContext(password=PASSWORD)
    seed_members(ctx)
    seed_organisations(ctx)
    return make_question(
        author=ctx.member("demo-student"),
        title="Salaire apprenti : combien à 19 ans en deuxième année ?",
        body="Ma fiche de paie n'a pas changé depuis septembre, c'est normal en deuxième année ?",
        tags=["salaire", "contrat-apprentissage"],
    )


def log_in(page, server, username: str) -> None:
    page.goto(f"{server.url}/comptes/login/")
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form.auth-form button[type=submit]").click()
    page.wait_for_selector(".menu__button")


def test_hr_dates_an_answer_which_turns_to_check_after_new_year_and_is_confirmed(chromium, live_server_process, thread):
    server = live_server_process
    page = chromium.new_context(viewport={"width": 390, "height": 844}, locale="fr-FR").new_page()
    page.set_default_timeout(15_000)
    thread_url = f"{server.url}{thread.get_absolute_url()}"

    # Verified HR on a pay thread: the dating fields are unfolded.
    log_in(page, server, "demo-hr")
    page.goto(thread_url)
    assert page.locator("details[data-dating-fields]").get_attribute("open") is not None
    page.fill("#id_body", BODY)
    page.fill("#id_valid_as_of", "2026-12-01")
    page.fill("#id_sources", SOURCE)
    page.locator("#answer-form .form-actions button[type=submit]").click()
    page.wait_for_url(re.compile(r".*#answer-\d+$"))

    card = page.locator("#answers article.answer").first
    dating = card.locator("[data-dating]")
    assert "Valable au 1 décembre 2026" in dating.inner_text()
    link = dating.locator(f"a[href='{SOURCE}']")
    assert link.get_attribute("rel") == "nofollow noopener"
    assert "source officielle" in dating.inner_text()
    assert card.locator("[data-needs-check]").count() == 0

    # The year turns.
    server.extra_env = {**server.extra_env, "LEGAL_ANSWERS_TODAY": "2027-01-02"}
    server.restart()
    page.goto(thread_url)
    check = page.locator("#answers article.answer [data-needs-check]")
    assert "À vérifier" in check.inner_text()
    assert "les montants changent chaque année" in check.inner_text()

    # In the author's list, confirmed in one click.
    page.goto(f"{server.url}/mes-reponses-a-verifier/")
    items = page.locator("[data-answers-to-check] .to-check__item")
    assert items.count() == 1
    items.first.locator("[data-confirm-validity]").click()
    page.wait_for_selector(".message--success")
    assert page.locator("[data-answers-to-check] .to-check__item").count() == 0

    answer = in_another_thread(lambda: Answer.objects.get(author__username="demo-hr"))
    assert answer.valid_as_of == date(2027, 1, 2)
    page.goto(thread_url)
    assert "Valable au 2 janvier 2027" in page.locator("#answers [data-dating]").inner_text()
    assert page.locator("#answers [data-needs-check]").count() == 0
