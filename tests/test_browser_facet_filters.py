"""The facet filters of a question list on a 390 px phone, in a real browser:
folded until opened, usable without JavaScript (a GET form), the chosen
filter shown as a chip that removes it, the counts below the list narrowing
it further, and nothing wider than the screen.

Selectors use names and attributes, never visible text."""

import pytest

from forum.services.questions import ask_question
from tests.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.server]

NO_OVERFLOW = "() => document.documentElement.scrollWidth - window.innerWidth"


def ask(author, n: int, **facets):
    return ask_question(
        author=author,
        title=f"Question numéro {n} sur l'alternance",
        body=f"Je cherche une entreprise pour la rentrée, quelles démarches ? ({n})",
        tags=["bts"],
        **facets,
    )


def listed(page) -> set[str]:
    return set(
        page.locator("[data-question-list] [data-question-id]").evaluate_all(
            "rows => rows.map(r => r.dataset.questionId)"
        )
    )


def test_filtering_the_unanswered_list_by_region_and_diploma_on_a_phone(chromium, live_server_process):
    alice = make_user(username="alice")
    breton_bts = ask(alice, 1, region="bretagne", diploma="bts")
    breton_master = ask(alice, 2, region="bretagne", diploma="master")
    ask(alice, 3, region="corse", diploma="bts")

    page = chromium.new_context(viewport={"width": 390, "height": 844}, locale="fr-FR").new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server_process.url}/questions/sans-reponse/")
    assert page.evaluate(NO_OVERFLOW) <= 0
    assert page.locator("[data-facet-filter] select[name=region]").is_hidden()  # folded on a phone

    page.locator("[data-facet-filter] summary").click()
    page.select_option("[data-facet-filter] select[name=region]", "bretagne")
    page.locator("[data-facet-filter] button[type=submit]").click()
    page.wait_for_url("**/questions/sans-reponse/?*region=bretagne*")

    assert listed(page) == {str(breton_bts.pk), str(breton_master.pk)}
    assert page.locator(".facet-chip--active").count() == 1
    assert page.evaluate(NO_OVERFLOW) <= 0

    # The counts below the list narrow it further, keeping the region.
    page.locator("[data-facet-counts] a[data-facet=diploma][data-facet-value=bts]").click()
    page.wait_for_url("**diploma=bts*")
    assert listed(page) == {str(breton_bts.pk)}
    assert page.locator(".facet-chip--active").count() == 2

    # A chip removes its own filter.
    page.locator(".facet-chip--active[data-facet=region]").click()
    page.wait_for_load_state()
    assert "region=" not in page.url
    assert len(listed(page)) == 2
    assert page.evaluate(NO_OVERFLOW) <= 0
