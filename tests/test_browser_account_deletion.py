"""Leaving the site, end to end in a real browser against a real server: a
member downloads their data, deletes their account keeping their question but
removing one answer, is logged out; a reader who had the thread open sees it
again signed "Membre supprimé", and the removed answer is gone."""

import json

import pytest
from django.conf import settings

from forum.models import User
from tests.factories import make_answer, make_question, make_user

pytestmark = [pytest.mark.browser, pytest.mark.server]

PASSWORD = "un-mot-de-passe-solide-42"


@pytest.fixture
def thread(live_server_process):
    zelie = make_user(username="zelie-browser", display_name="Zélie Browser", password=PASSWORD)
    other = make_user(username="bob-browser", display_name="Bob", password=PASSWORD)
    question = make_question(author=zelie, title="Mon CFA peut-il changer mon rythme en cours d'année ?")
    kept = make_answer(author=other, question=question, body="Seulement avec l'accord de l'employeur, en principe.")
    removed = make_answer(author=zelie, question=question, body="Précision : mon contrat dit 2 jours / 3 jours.")
    return {"zelie": zelie, "question": question, "kept": kept, "removed": removed}


def test_a_member_downloads_their_data_then_deletes_their_account(chromium, live_server_process, thread):
    server = live_server_process.url
    thread_url = f"{server}{thread['question'].get_absolute_url()}"
    context = chromium.new_context(viewport={"width": 390, "height": 844}, locale="fr-FR", accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{server}/comptes/login/")
    page.fill("input[name=login]", "zelie-browser")
    page.fill("input[name=password]", PASSWORD)
    page.locator("form.auth-form button[type=submit]").click()
    page.wait_for_selector(".menu__button")

    # "Mes données" is in the member's menu.
    page.locator(".menu__button").click()
    page.locator(".menu__panel a[href='/mon-profil/donnees/']").click()
    with page.expect_download() as download:
        page.locator("a[href='/mon-profil/donnees/telecharger/']").click()
    exported = json.loads(download.value.path().read_text())
    assert exported["member"]["display_name"] == "Zélie Browser"
    assert {a["id"] for a in exported["answers"]} == {thread["removed"].pk}

    # A reader has the thread open.
    reader = chromium.new_context(viewport={"width": 1280, "height": 800}, locale="fr-FR").new_page()
    reader.set_default_timeout(15_000)
    reader.goto(thread_url)
    assert "Zélie Browser" in reader.locator("main").inner_text()

    # Delete, removing the one answer; a wrong password first.
    page.locator("a[href='/mon-profil/supprimer/']").click()
    page.check("input[name=posts][value=chosen]")
    page.locator("details.delete-posts summary").click()
    page.check(f"input[name=answer_ids][value='{thread['removed'].pk}']")
    page.fill("input[name=password]", "pas-le-bon")
    page.locator("main form button[type=submit].button--danger").click()
    assert "Ce mot de passe n’est pas correct." in page.locator(".field--error").inner_text()
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit].button--danger").click()
    page.wait_for_selector("main .message--success, .messages")
    assert page.locator(".menu__button").count() == 0  # logged out
    shots = settings.BASE_DIR / "var" / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / "account-deleted.png"))

    reader.reload()
    text = reader.locator("main").inner_text()
    assert "Membre supprimé" in text
    assert "Zélie Browser" not in text
    assert "Précision : mon contrat" not in text
    assert "Seulement avec l'accord de l'employeur" in text
    assert User.objects.get(pk=thread["zelie"].pk).erased_at is not None
